package replica;

import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** What happens in this run (account kind, second factor, faults); read from the JSON file named by
 *  IBG_REPLICA_SCENARIO or -Dreplica.scenario. Absent: paper account demo/demo, no second factor. */
public final class Scenario {
    public final Map<String, Object> raw;
    public String account = "paper";
    public String username = "demo";
    public String password = "demo";
    public String secondFactor = "none";
    public Double pushApproveAfterS = 3.0;
    public String totpSecret = "";
    public List<String> devices = new ArrayList<>(Arrays.asList("IB Key", "Mobile Authenticator app"));
    public String existingSession = "none";
    public Double tokenExpiryAfterS = null;
    public List<String> loginMessages = new ArrayList<>();
    public String crashAt = null;
    public int crashExitCode = 1;
    public int lockoutAfterFailures = 0;
    public double lockoutWaitS = 60;
    /** Seconds the account is already locked out at start (failures made elsewhere, earlier). */
    public double lockedOutS = 0;
    public double slowStartS = 0;
    /** Seconds after the API first listens that it stops answering (a hung gateway), and for how long (0: for good). */
    public double apiFreezeAfterS = 0, apiFreezeForS = 0;
    public int[] windowPosition = null; // null = centre
    public double clockSpeed = 1;
    public String look = "standard";
    /** false keeps text carets lit instead of blinking, so corpus captures are repeatable. */
    public boolean caretBlink = true;
    /** How long each connecting_progress stage shows, in real ms (captures slow it down to catch each). */
    public int progressStageMs = 350;
    /** Scenario time at launch, epoch seconds (null = real time): captures fix it so clocks on screen repeat. */
    public Double clockStart = null;
    public int controlPort = 0;
    /** Login faults (LoginFaultDialogs): "server_disconnected", "unrecognized_credentials", "ssl" or null;
     *  they meet the first faultAttempts login attempts of the process. */
    public String fault = null;
    public int faultAttempts = 1;
    public boolean newerVersion = false;          // newer_version_available over the login frame at start
    public boolean bidAskNotice = false;          // bid_ask_last_size_update after login, before the API
    public Double reconnectPromptAfterS = null;   // reconnect_confirmation N scenario seconds after login
    public String source = "(default)";

    public Scenario(Map<String, Object> m) {
        raw = m == null ? new LinkedHashMap<>() : m;
        account = str("account", account);
        username = str("username", username);
        password = str("password", password);
        secondFactor = str("second_factor", secondFactor);
        if (raw.containsKey("push_approve_after_s")) pushApproveAfterS = num("push_approve_after_s");
        totpSecret = str("totp_secret", totpSecret);
        if (raw.get("devices") instanceof List) {
            devices = new ArrayList<>();
            for (Object o : (List<?>) raw.get("devices")) devices.add(String.valueOf(o));
        }
        existingSession = str("existing_session", existingSession);
        tokenExpiryAfterS = num("token_expiry_after_s");
        if (raw.get("login_messages") instanceof List) {
            for (Object o : (List<?>) raw.get("login_messages")) loginMessages.add(String.valueOf(o));
        }
        crashAt = str("crash_at", null);
        Double d = num("crash_exit_code");
        if (d != null) crashExitCode = d.intValue();
        d = num("lockout_after_failures");
        if (d != null) lockoutAfterFailures = d.intValue();
        d = num("lockout_wait_s");
        if (d != null) lockoutWaitS = d;
        d = num("locked_out_s");
        if (d != null) lockedOutS = d;
        d = num("slow_start_s");
        if (d != null) slowStartS = d;
        d = num("api_freeze_after_s");
        if (d != null) apiFreezeAfterS = d;
        d = num("api_freeze_for_s");
        if (d != null) apiFreezeForS = d;
        Object wp = raw.get("window_position");
        if (wp instanceof List && ((List<?>) wp).size() == 2) {
            List<?> l = (List<?>) wp;
            windowPosition = new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
        }
        d = num("clock_speed");
        if (d != null && d > 0) clockSpeed = d;
        look = str("look", look);
        if (raw.get("caret_blink") instanceof Boolean) caretBlink = (Boolean) raw.get("caret_blink");
        Double stageMs = num("progress_stage_ms");
        if (stageMs != null) progressStageMs = stageMs.intValue();
        clockStart = num("clock_start");
        d = num("control_port");
        if (d != null) controlPort = d.intValue();
        fault = str("fault", null);
        d = num("fault_attempts");
        if (d != null) faultAttempts = d.intValue();
        newerVersion = Boolean.TRUE.equals(raw.get("newer_version"));
        bidAskNotice = Boolean.TRUE.equals(raw.get("bid_ask_notice"));
        reconnectPromptAfterS = num("reconnect_prompt_after_s");
    }

    private String str(String k, String def) {
        Object o = raw.get(k);
        return o == null ? def : String.valueOf(o);
    }

    private Double num(String k) {
        Object o = raw.get(k);
        if (o instanceof Number) return ((Number) o).doubleValue();
        if (o instanceof String) {
            try { return Double.parseDouble((String) o); } catch (NumberFormatException e) { return null; }
        }
        return null;
    }

    public boolean paper() { return !"live".equalsIgnoreCase(account); }

    /** existing_session "after_s:N" or "relogin_after_s:N" → N, else null. */
    public Double existingSessionAfterS() {
        if (existingSession == null) return null;
        int i = existingSession.indexOf("after_s:");
        if (i < 0) return null;
        try { return Double.parseDouble(existingSession.substring(i + 8).trim()); } catch (NumberFormatException e) { return null; }
    }

    public static Scenario load() {
        String p = System.getProperty("replica.scenario");
        if (p == null || p.isEmpty()) p = System.getenv("IBG_REPLICA_SCENARIO");
        if (p == null || p.isEmpty()) return new Scenario(null);
        try {
            Object o = Json.parse(new String(Files.readAllBytes(Paths.get(p)), StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Scenario s = new Scenario(o instanceof Map ? (Map<String, Object>) o : null);
            s.source = p;
            return s;
        } catch (Exception e) {
            System.err.println("replica: cannot read scenario " + p + ": " + e.getMessage());
            System.exit(2);
            return null;
        }
    }
}
