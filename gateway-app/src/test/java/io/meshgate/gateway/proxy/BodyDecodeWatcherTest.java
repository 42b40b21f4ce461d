package io.meshgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

/** A body's decode failure is noted for that request only: the next request on the connection starts clean. */
class BodyDecodeWatcherTest {

    @Test
    void aNewRequestClearsTheEarlierBodysFailure() {
        EmbeddedChannel channel = new EmbeddedChannel(BodyDecodeWatcher.INSTANCE);
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a"));
        LastHttpContent broken = new DefaultLastHttpContent();
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad chunk size")));
        channel.writeInbound(broken);
        assertThat(channel.attr(BodyDecodeWatcher.FAILURE).get()).isNotNull();

        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/b"));

        assertThat(channel.attr(BodyDecodeWatcher.FAILURE).get()).isNull();
        for (Object read; (read = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(read);
        }
        channel.finishAndReleaseAll();
    }
}
