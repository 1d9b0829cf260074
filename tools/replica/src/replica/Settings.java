package replica;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** Gateway settings persisted across launches in SETTINGS_DIR/replica-settings.json (the real gateway keeps them
 *  in jts.ini and its per-user xml; one JSON file is enough for a test double). */
public final class Settings {
    private final Path file;
    private final Map<String, String> values = new LinkedHashMap<>();

    public Settings(Path dir, boolean paper) {
        this.file = dir.resolve("replica-settings.json");
        defaults(paper);
        load();
    }

    private void defaults(boolean paper) {
        values.put("api_port", paper ? "4002" : "4001");
        values.put("read_only_api", "true");
        values.put("create_api_log", "false");
        values.put("include_market_data", "false");
        values.put("logging_level", "Error");
        values.put("master_client_id", "");
        values.put("localhost_only", "true");
        values.put("trusted_ips", "127.0.0.1");
        values.put("auto_logoff_time", "11:45");
        values.put("auto_logoff_ampm", "PM");
        values.put("auto_mode", "logoff");
        values.put("region", "America");
        values.put("time_zone", "America/New York");
        values.put("username", "");
    }

    private void load() {
        if (!Files.isRegularFile(file)) return;
        try {
            Object o = Json.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            if (o instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                    if (e.getValue() != null) values.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("replica: ignoring unreadable settings " + file + ": " + e.getMessage());
        }
    }

    public synchronized String get(String key) {
        String v = values.get(key);
        return v == null ? "" : v;
    }

    public synchronized void set(String key, String value) { values.put(key, value == null ? "" : value); }

    public synchronized Map<String, String> all() { return new LinkedHashMap<>(values); }

    public synchronized void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.write(values).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("replica: cannot save settings " + file + ": " + e.getMessage());
        }
    }
}
