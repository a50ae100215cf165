import com.zaxxer.hikari.HikariConfig;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Properties;

/**
 * Differential oracle for connlint's HikariCP model: for each properties file named on the command line,
 * builds new HikariConfig(properties) and calls validate() exactly as HikariDataSource does at start-up
 * (no connection is made), then prints the effective numbers, or the exception that stops the pool.
 * A dummy jdbcUrl is set when the file names no data source, since validate() requires one.
 * Output: one JSON object {"<file>": {"ok": true, "maxLifetime": n, ...} | {"ok": false, "error": "..."}}.
 * Run: java -cp /usr/share/java/HikariCP.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-nop.jar \
 *        test/oracles/HikariEffective.java FILE...
 */
public class HikariEffective {
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

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getName() + ": " + root.getMessage();
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("{");
        for (int a = 0; a < args.length; a++) {
            if (a > 0) out.append(',');
            out.append('\n').append(quote(args[a])).append(": ");
            try {
                Properties props = new Properties();
                try (InputStream in = new FileInputStream(args[a])) {
                    props.load(in);
                }
                HikariConfig config = new HikariConfig(props);
                if (config.getJdbcUrl() == null && config.getDataSourceClassName() == null && config.getDataSourceJNDI() == null) {
                    config.setJdbcUrl("jdbc:connlint:dummy");
                }
                config.validate();
                out.append("{\"ok\": true")
                    .append(", \"maxLifetime\": ").append(config.getMaxLifetime())
                    .append(", \"idleTimeout\": ").append(config.getIdleTimeout())
                    .append(", \"minimumIdle\": ").append(config.getMinimumIdle())
                    .append(", \"maximumPoolSize\": ").append(config.getMaximumPoolSize())
                    .append(", \"connectionTimeout\": ").append(config.getConnectionTimeout())
                    .append(", \"validationTimeout\": ").append(config.getValidationTimeout())
                    .append(", \"leakDetectionThreshold\": ").append(config.getLeakDetectionThreshold())
                    .append('}');
            } catch (Exception e) {
                out.append("{\"ok\": false, \"error\": ").append(quote(describe(e))).append('}');
            }
        }
        out.append("\n}\n");
        System.out.print(out);
    }
}
