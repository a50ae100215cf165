import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Differential oracle for connlint's .properties parser: loads each file named on the command line with
 * java.util.Properties.load(InputStream) (ISO-8859-1, as HikariCP does) and prints one JSON object,
 * {"<file>": {"ok": true, "entries": {...}} | {"ok": false, "error": "<exception class>: <message>"}}.
 * Every character outside printable ASCII is written as a \\uXXXX escape so the comparison is exact.
 * Run: java test/oracles/PropertiesDump.java FILE...
 */
public class PropertiesDump {
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("{");
        for (int a = 0; a < args.length; a++) {
            if (a > 0) out.append(',');
            out.append('\n').append(quote(args[a])).append(": ");
            Properties props = new Properties();
            try (InputStream in = new FileInputStream(args[a])) {
                props.load(in);
            } catch (Exception e) {
                out.append("{\"ok\": false, \"error\": ").append(quote(e.getClass().getName() + ": " + e.getMessage())).append('}');
                continue;
            }
            TreeMap<String, String> sorted = new TreeMap<>();
            for (String name : props.stringPropertyNames()) sorted.put(name, props.getProperty(name));
            out.append("{\"ok\": true, \"entries\": {");
            boolean first = true;
            for (var e : sorted.entrySet()) {
                if (!first) out.append(", ");
                first = false;
                out.append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            }
            out.append("}}");
        }
        out.append("\n}\n");
        System.out.print(out);
    }
}
