# The gateway-app image that k8s/deployment.yaml names (meshgate/gateway-app:0.1.0):
#   docker build -t meshgate/gateway-app:0.1.0 .
# Stage 1 builds and extracts the Spring Boot jar into layers (dependencies change less often than the
# application, so they stay cached); stage 2 is a JRE with those layers, run as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY route-translator/pom.xml route-translator/
COPY gateway-app/pom.xml gateway-app/
RUN ./mvnw -B -q -pl gateway-app -am dependency:go-offline
COPY route-translator/src route-translator/src
COPY gateway-app/src gateway-app/src
COPY config config
RUN ./mvnw -B -q -pl gateway-app -am -DskipTests -Dcds.skip=true package \
 && java -Djarmode=tools -jar gateway-app/target/gateway-app.jar extract --layers --launcher \
      --destination /layers

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 meshgate && useradd --system --uid 10001 --gid meshgate meshgate
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --from=build /src/config /app/config
USER 10001:10001
EXPOSE 8080 8443 15020
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
