package replica;

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** SETTINGS_DIR/replica/events.jsonl: one JSON object per line, the truth tests compare the runner against.
 *  Never pass a secret's value here: only lengths and "matched" booleans. */
public final class EventLog {
    private final Path file;

    /** Each launch starts a fresh log; the previous launch's log is kept as events.prev.jsonl. */
    public EventLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling("events.prev.jsonl"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) { /* reported on write */ }
    }

    public Path path() { return file; }

    public synchronized void event(String name, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", System.currentTimeMillis() / 1000.0);
        m.put("event", name);
        for (int k = 0; k + 1 < kv.length; k += 2) m.put(String.valueOf(kv[k]), kv[k + 1]);
        String line = Json.write(m) + "\n";
        try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            o.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("replica: cannot write event log " + file + ": " + e.getMessage());
        }
    }
}
