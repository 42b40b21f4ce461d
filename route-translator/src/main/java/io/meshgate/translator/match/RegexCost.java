package io.meshgate.translator.match;

/**
 * An upper bound of what an RE2 expression costs once compiled, read from its syntax without building it. RE2J
 * expands every counted repetition while it compiles ({@code x{3}} becomes {@code xxx}), so nested counts multiply:
 * {@code ((a{1000}){1000}){1000}} is a billion instructions, and compiling it exhausts the heap. RE2J offers no way
 * to bound that (its parse tree is not public), hence this estimate, which follows RE2J's compiler: one instruction
 * per literal character, character class, {@code .}, anchor or assertion; two per capturing group; one per
 * {@code |}, {@code +} or {@code ?} and two per {@code *}; {@code x{n,m}} as {@code n} copies of {@code x} and
 * {@code m-n} optional ones; two for the program's own start and match. Whatever it cannot read it counts as
 * literal text, so it never counts less than RE2J builds (a property test compares it with RE2J's
 * {@code programSize()}); arithmetic saturates instead of overflowing.
 *
 * @param programSize the estimated number of instructions
 * @param repeatProduct the largest product of the counts of counted repetitions nested in one another, which RE2
 *     itself limits to 1000 ({@code kMaxRepeat})
 * @param depth the deepest nesting of groups; the estimate stops descending past {@link #MAX_DEPTH}
 */
record RegexCost(long programSize, long repeatProduct, int depth) {

    /** Past this nesting the expression is not read further; RE2 and Go's regexp stop at 1000 too. */
    static final int MAX_DEPTH = 1000;

    private static final long SATURATED = 1L << 40;
    private static final int MAX_COUNT = 1_000_000;

    static RegexCost of(String regex) {
        Reader reader = new Reader(regex);
        // at depth 0 an unbalanced ")" is read as a literal, so one alternation reads the whole expression
        Node node = reader.alternation(0);
        return new RegexCost(add(node.size, 2), node.product, reader.maxDepth);
    }

    private record Node(long size, long product) {
        static final Node ONE = new Node(1, 1);
    }

    /** A recursive-descent reader of RE2 syntax that computes sizes instead of a tree. */
    private static final class Reader {
        private final String re;
        private int pos;
        private int maxDepth;

        Reader(String re) {
            this.re = re;
        }

        Node alternation(int depth) {
            maxDepth = Math.max(maxDepth, depth);
            long size = 0;
            long product = 1;
            int branches = 0;
            while (true) {
                Node branch = concatenation(depth);
                size = add(size, branch.size);
                product = Math.max(product, branch.product);
                branches++;
                if (pos < re.length() && re.charAt(pos) == '|') {
                    pos++;
                    continue;
                }
                return new Node(add(size, branches - 1), product);
            }
        }

        private Node concatenation(int depth) {
            long size = 0;
            long product = 1;
            while (pos < re.length()) {
                char c = re.charAt(pos);
                if (c == '|' || c == ')' && depth > 0) {
                    break;
                }
                if (re.startsWith("\\Q", pos)) {
                    // quoted text: a repetition after it applies to its last character only
                    size = add(size, quotedLength() - 1);
                }
                Node atom = atom(depth);
                while (pos < re.length()) {
                    Node repeated = repetition(atom);
                    if (repeated == null) {
                        break;
                    }
                    atom = repeated;
                }
                size = add(size, atom.size);
                product = Math.max(product, atom.product);
            }
            // an empty expression is one no-op instruction
            return new Node(Math.max(1, size), product);
        }

        /** The number of characters quoted by the {@code \\Q...\\E} at the cursor, at least one. */
        private int quotedLength() {
            int end = re.indexOf("\\E", pos + 2);
            return Math.max(1, (end < 0 ? re.length() : end) - (pos + 2));
        }

        private Node atom(int depth) {
            char c = re.charAt(pos);
            switch (c) {
                case '(' -> {
                    return group(depth);
                }
                case '[' -> {
                    pos = classEnd(pos) + 1;
                    return Node.ONE;
                }
                case '\\' -> {
                    return escape();
                }
                default -> {
                    pos++;
                    return Node.ONE;
                }
            }
        }

        private Node group(int depth) {
            pos++;
            boolean capturing = true;
            if (re.startsWith("?P<", pos) || re.startsWith("?<", pos)) {
                int close = re.indexOf('>', pos);
                pos = close < 0 ? re.length() : close + 1;
            } else if (re.startsWith("?", pos)) {
                capturing = false;
                pos++;
                while (pos < re.length() && re.charAt(pos) != ':' && re.charAt(pos) != ')') {
                    pos++;
                }
                if (pos < re.length() && re.charAt(pos) == ')') {
                    // flags only, such as (?i): no instruction of its own
                    pos++;
                    return new Node(0, 1);
                }
                pos++;
            }
            if (depth + 1 > MAX_DEPTH) {
                maxDepth = depth + 1;
                pos = re.length();
                return new Node(SATURATED, 1);
            }
            Node inner = alternation(depth + 1);
            if (pos < re.length() && re.charAt(pos) == ')') {
                pos++;
            }
            return capturing ? new Node(add(inner.size, 2), inner.product) : inner;
        }

        private Node escape() {
            pos++;
            if (pos >= re.length()) {
                return Node.ONE;
            }
            char c = re.charAt(pos++);
            if (c == 'Q') {
                // counted by the caller but for the last character, which is this node
                int end = re.indexOf("\\E", pos);
                pos = end < 0 ? re.length() : end + 2;
                return Node.ONE;
            }
            if ((c == 'p' || c == 'P' || c == 'x') && pos < re.length() && re.charAt(pos) == '{') {
                int close = re.indexOf('}', pos);
                pos = close < 0 ? re.length() : close + 1;
            } else if (c == 'p' || c == 'P') {
                pos = Math.min(re.length(), pos + 1);
            }
            // \x41, octal \101 and the rest: the characters after them are read as literals, one each, which
            // counts more than RE2J builds, never less
            return Node.ONE;
        }

        /** The repetition applied to {@code node} at the cursor, or null when none follows. */
        private Node repetition(Node node) {
            char c = re.charAt(pos);
            Node repeated;
            if (c == '*' || c == '+' || c == '?') {
                pos++;
                // RE2J compiles x* as (x+)? when x can match empty (such as ^*): two instructions, not one
                repeated = new Node(add(node.size, c == '*' ? 2 : 1), node.product);
            } else if (c == '{') {
                int[] counts = counts();
                if (counts == null) {
                    return null;
                }
                repeated = counted(node, counts[0], counts[1]);
            } else {
                return null;
            }
            if (pos < re.length() && re.charAt(pos) == '?') {
                pos++; // non-greedy: same program
            }
            return repeated;
        }

        /** {@code x{n}}, {@code x{n,}} ({@code max} -1) and {@code x{n,m}}, as RE2J's simplifier expands them. */
        private static Node counted(Node node, int min, int max) {
            int m = max >= 0 ? max : min;
            long product = m > 0 ? multiply(node.product, m) : node.product;
            long size;
            if (max < 0) {
                size = min == 0 ? add(node.size, 2) : add(multiply(node.size, min), 1);
            } else {
                long optional = multiply(add(node.size, 1), Math.max(0, max - min));
                size = add(multiply(node.size, min), optional);
            }
            return new Node(Math.max(1, size), product);
        }

        /** The counts of {@code {n}}, {@code {n,}} or {@code {n,m}} at the cursor, or null when it is a literal. */
        private int[] counts() {
            int i = pos + 1;
            int minStart = i;
            while (i < re.length() && Character.isDigit(re.charAt(i))) {
                i++;
            }
            if (i == minStart || i >= re.length()) {
                return null;
            }
            int min = number(minStart, i);
            int max = min;
            if (re.charAt(i) == ',') {
                int maxStart = ++i;
                while (i < re.length() && Character.isDigit(re.charAt(i))) {
                    i++;
                }
                max = i == maxStart ? -1 : number(maxStart, i);
            }
            if (i >= re.length() || re.charAt(i) != '}') {
                return null;
            }
            pos = i + 1;
            return new int[] {min, max};
        }

        private int number(int start, int end) {
            if (end - start > 7) {
                return MAX_COUNT;
            }
            return Math.min(MAX_COUNT, Integer.parseInt(re, start, end, 10));
        }

        /** The index of the {@code ]} closing the class opened at {@code open}, or the last index. */
        private int classEnd(int open) {
            int i = open + 1;
            if (i < re.length() && re.charAt(i) == '^') {
                i++;
            }
            if (i < re.length() && re.charAt(i) == ']') {
                i++;
            }
            while (i < re.length() && re.charAt(i) != ']') {
                if (re.startsWith("[:", i)) {
                    int close = re.indexOf(":]", i + 2);
                    i = close < 0 ? re.length() : close + 2;
                    continue;
                }
                if (re.charAt(i) == '\\') {
                    i++;
                }
                i++;
            }
            return Math.min(i, re.length() - 1);
        }
    }

    private static long add(long a, long b) {
        return Math.min(SATURATED, a + b);
    }

    private static long multiply(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
    }
}
