package io.meshgate.translator.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-document YAML text at its {@code ---} markers, so that a syntax error in one document loses only
 * that document. YAML forbids a document marker at the start of a line inside content, so the split is exact.
 */
final class YamlDocuments {

    /** One document's text and the 1-based line of the file it starts on. */
    record Document(String text, int firstLine) {
    }

    private YamlDocuments() {
    }

    static List<Document> split(String text) {
        List<Document> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int firstLine = 1;
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (isDocumentStart(line)) {
                addIfNotBlank(documents, current, firstLine);
                current.setLength(0);
                firstLine = lineNumber;
                // keep the marker: it may carry content or a tag on the same line
                current.append(line).append('\n');
            } else if (isDocumentEnd(line)) {
                addIfNotBlank(documents, current, firstLine);
                current.setLength(0);
                firstLine = lineNumber + 1;
            } else {
                current.append(line).append('\n');
            }
        }
        addIfNotBlank(documents, current, firstLine);
        return documents;
    }

    private static boolean isDocumentStart(String line) {
        return line.startsWith("---") && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
    }

    private static boolean isDocumentEnd(String line) {
        return line.startsWith("...") && line.strip().equals("...");
    }

    private static void addIfNotBlank(List<Document> documents, StringBuilder text, int firstLine) {
        String body = text.toString();
        boolean blank = body.lines()
                .map(String::strip)
                .allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"));
        if (!blank) {
            documents.add(new Document(body, firstLine));
        }
    }
}
