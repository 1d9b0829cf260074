package replica;

import java.awt.*;
import java.nio.file.*;
import java.util.*;
import java.util.List;
import javax.swing.*;

/** Main class and the flow state machine of CATALOG §4 (login → progress → second factor → main window → API).
 *  One instance, Gateway.get(); every window registers itself here. */
public final class Gateway {
    private static Gateway instance;

    public final Path settingsDir;
    public final Scenario scenario;
    public final Settings settings;
    public final EventLog events;
    public final Clock clock;
    public final boolean drift;

    private final List<Window> windows = Collections.synchronizedList(new ArrayList<>());
    private MainWindow mainWindow;
    private Object apiServer;      // ApiServer (Helper B), created by reflection so each part compiles alone
    private ControlServer control;

    public static Gateway get() { return instance; }

    private Gateway(Path dir) {
        settingsDir = dir;
        scenario = Scenario.load();
        events = new EventLog(dir.resolve("replica").resolve("events.jsonl"));
        settings = new Settings(dir, scenario.paper());
        clock = new Clock(scenario.clockSpeed, settings, scenario.clockStart);
        drift = "drift".equalsIgnoreCase(scenario.look);
        if (drift) Theme.sizeDelta = 1;   // a newer build renders its text one pixel larger
        lockoutUntil = clock.millis() + (long) (scenario.lockedOutS * 1000);
    }

    public static void main(String[] args) throws Exception {
        setWmClass();
        String dir = System.getProperty("jtsConfigDir");
        if (dir == null || dir.isEmpty()) dir = System.getProperty("user.home") + "/Jts";
        Path d = Paths.get(dir).toAbsolutePath();
        Files.createDirectories(d.resolve("replica"));
        instance = new Gateway(d);
        instance.events.event("started", "settings_dir", d.toString(), "scenario", instance.scenario.source,
                "pid", ProcessHandle.current().pid());
        try {
            instance.control = new ControlServer(instance.scenario.controlPort, d.resolve("replica").resolve("control.port"));
        } catch (Exception e) {
            System.err.println("replica: control server failed: " + e);
        }
        if (instance.scenario.slowStartS > 0) Thread.sleep((long) (instance.scenario.slowStartS * 1000));
        if (!instance.scenario.caretBlink) {
            for (String k : new String[] {"TextField", "PasswordField", "FormattedTextField", "TextArea", "TextPane"}) {
                UIManager.put(k + ".caretBlinkRate", 0);
            }
        }
        SwingUtilities.invokeLater(() -> instance.start());
    }

    // ------------------------------------------------------------------ the flow (CATALOG §4)

    private LoginFrame login;
    private ConnectingProgress progress;
    private int failures;
    private long lockoutUntil;          // scenario-clock millis
    private boolean loggedIn;
    private long tokenCreatedAt;        // scenario-clock millis of the full login that made the security token
    private double tokenRemainingAtStart = Double.NaN; // carried over an auto restart
    private javax.swing.Timer dailyTimer;
    private String warnedFor;           // auto-logoff target the warning was shown for
    private boolean exiting;
    private String sessionUser = "";
    private boolean tokenRenewed;       // a full login after a mid-session token expiry
    private boolean sessionEventsScheduled;

    /** Stage names for crash_at: startup, login_frame, login_clicked, connecting, authenticating, second_factor,
     *  startup_parameters, initializing, starting_application, main_window, paper_warning, api, logoff. */
    void crash(String stage) {
        if (stage.equals(scenario.crashAt)) {
            events.event("exit", "code", scenario.crashExitCode, "reason", "crash_at " + stage);
            Runtime.getRuntime().halt(scenario.crashExitCode);
        }
    }

    /** Run r after ms real milliseconds on the EDT. */
    static void later(int ms, Runnable r) {
        javax.swing.Timer t = new javax.swing.Timer(Math.max(1, ms), e -> r.run());
        t.setRepeats(false);
        t.start();
    }

    private void start() {
        crash("startup");
        Path auto = settingsDir.resolve("autorestart");
        boolean restart = false;
        boolean expired = false;
        if (Files.isRegularFile(auto)) {
            try {
                Object o = Json.parse(new String(Files.readAllBytes(auto), java.nio.charset.StandardCharsets.UTF_8));
                Files.delete(auto);
                restart = true;
                if (o instanceof Map) {
                    Object rem = ((Map<?, ?>) o).get("token_remaining_s");
                    Object u = ((Map<?, ?>) o).get("username");
                    if (u != null) sessionUser = u.toString();
                    if (rem instanceof Number) {
                        tokenRemainingAtStart = ((Number) rem).doubleValue();
                        expired = tokenRemainingAtStart <= 0;
                    }
                }
            } catch (Exception e) {
                System.err.println("replica: bad autorestart file: " + e);
                restart = true;
                expired = true;
            }
            events.event("autorestart_token", "valid", !expired);
        }
        login = new LoginFrame(this, restart && !expired);
        login.setOnLogin(this::loginClicked);
        login.showLogin();
        crash("login_frame");
        if (restart && expired) {
            LoginDialogs.tokenExpired(login, null);
        } else if (restart) {
            later(1500, this::autoRestartLogin);
        } else if (scenario.newerVersion) {
            LoginFaultDialogs.newerVersion(login, () -> events.event("newer_version", "answer", "yes"),
                    () -> events.event("newer_version", "answer", "no"));
        }
    }

    /** Restart mode: the gateway logs itself in with the stored token (no 2FA, fields disabled). */
    private void autoRestartLogin() {
        events.event("login_attempt", "mode", "autorestart", "api_type", login.apiType(), "trading_mode", login.tradingMode());
        login.setVisible(false);
        progress = new ConnectingProgress(this, login.isPaper());
        progress.open(sessionUser);
        stages(new String[][] {{"Connecting to server...", "20"}, {"Authenticating...", "35"}}, () -> {
            if (!Double.isNaN(tokenRemainingAtStart) && scenario.tokenExpiryAfterS != null) {
                // the token keeps ageing from where the previous session left it
                tokenCreatedAt = clock.millis() - (long) ((scenario.tokenExpiryAfterS - tokenRemainingAtStart) * 1000);
            } else {
                tokenCreatedAt = clock.millis();
            }
            afterAuthentication();
        });
    }

    /** Show stages one by one (title, value), scenario progress_stage_ms apart (350 by default), then run next. */
    private void stages(String[][] list, Runnable next) {
        stagesFrom(list, 0, next);
    }

    private void stagesFrom(String[][] list, int i, Runnable next) {
        if (i >= list.length) {
            next.run();
            return;
        }
        later(scenario.progressStageMs, () -> {
            if (progress == null) return;
            progress.stage(list[i][0], list[i].length > 2 ? list[i][2] : null, Integer.parseInt(list[i][1]));
            crash(stageName(list[i][0]));
            stagesFrom(list, i + 1, next);
        });
    }

    private static String stageName(String title) {
        if (title.startsWith("Connecting")) return "connecting";
        if (title.startsWith("Authenticating")) return "authenticating";
        if (title.startsWith("Requesting")) return "startup_parameters";
        if (title.startsWith("Initializing")) return "initializing";
        if (title.startsWith("Starting")) return "starting_application";
        return title;
    }

    private void loginClicked() {
        login.reportFields();
        String u = login.loginUser();
        char[] p = login.loginPassword();
        boolean userOk = u.equals(scenario.username);
        boolean passOk = new String(p).equals(scenario.password);
        java.util.Arrays.fill(p, '\0');
        events.event("login_attempt", "api_type", login.apiType(), "trading_mode", login.tradingMode(),
                "username_length", u.length(), "username_matched", userOk, "password_matched", passOk);
        crash("login_clicked");
        long now = clock.millis();
        if (now < lockoutUntil) {
            long secs = (lockoutUntil - now + 999) / 1000;
            events.event("login_failed", "reason", "locked_out", "wait_s", secs);
            LoginDialogs.tooManyAttempts(login, secs, null);
            return;
        }
        sessionUser = u;
        login.setVisible(false);
        progress = new ConnectingProgress(this, login.isPaper());
        progress.open(u);
        progress.stage("Loading...", null, 5);
        Runnable authenticated = () -> {
            if (loginFault(null, "unrecognized_credentials")) return;
            if (!userOk || !passOk) {
                fail("invalid_credentials", "Invalid username or password.", true);
                return;
            }
            if (login.isPaper() != scenario.paper()) {
                fail("trading_mode", login.isPaper()
                        ? "This username is not a paper trading user. Please select Live Trading."
                        : "This username is for a paper trading account. Please select Paper Trading.", true);
                return;
            }
            if ("at_login".equals(scenario.existingSession)) {
                LoginDialogs.existingSession(progress, true, this::secondFactor,
                        () -> requestExit(0, "existing session: cancel"));
            } else {
                secondFactor();
            }
        };
        stages(new String[][] {{"Connecting to server...", "20"}}, () -> {
            Runnable authenticate = () -> stages(new String[][] {{"Authenticating...", "35"}}, authenticated);
            if (loginFault(authenticate, "server_disconnected", "ssl")) return;
            authenticate.run();
        });
    }

    private int faultsMet;

    /** Scenario "fault": if it is one of kinds and still due (the first fault_attempts attempts of this process),
     *  show its dialog over the progress frame and return true (LoginFaultDialogs). "ssl" goes on with
     *  resume after "Reconnect using SSL". */
    private boolean loginFault(Runnable resume, String... kinds) {
        if (scenario.fault == null || faultsMet >= scenario.faultAttempts
                || !Arrays.asList(kinds).contains(scenario.fault)) return false;
        faultsMet++;
        if (scenario.fault.equals("ssl")) {
            events.event("login_fault", "fault", "ssl");
            LoginFaultDialogs.useSsl(progress, () -> {
                events.event("ssl_reconnect");
                progress.stage("Connecting to server...", null, 20);
                resume.run();
            }, () -> requestExit(0, "use ssl encryption: close"));
            return true;
        }
        events.event("login_failed", "reason", scenario.fault);
        if (scenario.fault.equals("server_disconnected")) {
            LoginFaultDialogs.serverDisconnected(progress, this::backToLogin);
        } else {
            LoginFaultDialogs.unrecognizedCredentials(progress, this::backToLogin);
        }
        return true;
    }

    /** A failed attempt: back to the login frame with a message (or the lockout message). */
    private void fail(String reason, String text, boolean showDialog) {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        failures++;
        events.event("login_failed", "reason", reason, "failures", failures);
        login.afterFailure();
        login.showLogin();
        if (scenario.lockoutAfterFailures > 0 && failures >= scenario.lockoutAfterFailures) {
            // from now on attempts are refused with too_many_failed_attempts until the wait has passed
            lockoutUntil = clock.millis() + (long) (scenario.lockoutWaitS * 1000);
            failures = 0;
            events.event("locked_out", "wait_s", scenario.lockoutWaitS);
        }
        if (showDialog) LoginDialogs.loginFailed(login, text, null);
    }

    private void secondFactor() {
        String kind = scenario.secondFactor == null ? "none" : scenario.secondFactor;
        switch (kind) {
            case "push": showPush(); break;
            case "totp": showTotp(); break;
            case "devices": showDevices(); break;
            default: afterSecondFactor();
        }
    }

    private void showPush() {
        crash("second_factor");
        new SecondFactorDialogs.Push(progress,
                () -> { events.event("second_factor", "kind", "push", "result", "approved"); afterSecondFactor(); },
                () -> {
                    events.event("second_factor", "kind", "push", "result", "timeout");
                    fail("second_factor_timeout", null, false);
                },
                this::showDevices,
                () -> {
                    events.event("second_factor", "kind", "push", "result", "cancelled");
                    backToLogin();
                }).open(progress);
    }

    private void showDevices() {
        crash("second_factor");
        List<String> devices = scenario.devices.isEmpty() ? Arrays.asList("IB Key", "Mobile Authenticator app") : scenario.devices;
        new SecondFactorDialogs.DeviceChoice(progress, devices, sel -> {
            events.event("second_factor", "kind", "device_choice", "result", sel.trim());
            if (sel.toLowerCase().contains("authenticator")) showTotp();
            else showPush();
        }, () -> {
            events.event("second_factor", "kind", "device_choice", "result", "cancelled");
            backToLogin();
        }).open(progress);
    }

    private void showTotp() {
        crash("second_factor");
        new SecondFactorDialogs.Totp(progress,
                code -> SecondFactorDialogs.totpValid(scenario.totpSecret, code, System.currentTimeMillis()),
                () -> { events.event("second_factor", "kind", "totp", "result", "approved"); afterSecondFactor(); },
                () -> {
                    events.event("second_factor", "kind", "totp", "result", "cancelled");
                    backToLogin();
                }).open(progress);
    }

    private void backToLogin() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
        login.afterFailure();
        login.showLogin();
    }

    private void afterSecondFactor() {
        tokenCreatedAt = clock.millis();
        afterAuthentication();
    }

    private void afterAuthentication() {
        stages(new String[][] {{"Requesting startup parameters..", "50"}}, () -> {
            if (!scenario.loginMessages.isEmpty()) {
                new LoginMessagesDialog(progress, scenario.loginMessages, this::finishLogin).open(progress);
            } else {
                finishLogin();
            }
        });
    }

    private void finishLogin() {
        stages(new String[][] {{"Initializing environment...", "75"}, {"Starting application...", "95"}}, () -> {
            later(300, () -> {
                if (progress != null) {
                    progress.close();
                    progress = null;
                }
                loginSucceeded();
            });
        });
    }

    private void loginSucceeded() {
        loggedIn = true;
        failures = 0;
        events.event("login_succeeded", "api_type", login.apiType(), "trading_mode", login.tradingMode());
        settings.set("username", sessionUser);
        settings.save();
        login.setVisible(false);
        onLoggedIn();
        crash("main_window");
        Window owner = mainWindow != null ? mainWindow : login;
        // bid_ask_last_size_update (scenario bid_ask_notice) holds the API too, after the paper warning
        Runnable api = () -> SessionNotices.bidAskThen(this, owner, this::startApi);
        if (login.isPaper()) {
            PaperWarningDialog w = new PaperWarningDialog(owner, () -> {
                crash("paper_warning");
                api.run();
            });
            w.showCentredOn(owner);
        } else {
            api.run();
        }
        scheduleSessionEvents();
    }

    /** Mid-session events: another session taking over (after_s:N) and the daily auto logoff/restart. */
    private void scheduleSessionEvents() {
        Double after = scenario.existingSessionAfterS();
        if (after != null && !sessionEventsScheduled) {
            boolean relogin = scenario.existingSession.startsWith("relogin_after_s:");
            later((int) clock.realMillis(after), () -> otherSessionTookOver(relogin));
        }
        if (!sessionEventsScheduled) SessionNotices.scheduleReconnectPrompt(this);
        if (scenario.tokenExpiryAfterS != null && !tokenRenewed && !sessionEventsScheduled) {
            double left = scenario.tokenExpiryAfterS - (clock.millis() - tokenCreatedAt) / 1000.0;
            // a login slower than the token's life (a loaded machine): it expires at once
            later((int) clock.realMillis(Math.max(0, left)), this::tokenExpiredMidSession);
        }
        sessionEventsScheduled = true;
        if (dailyTimer == null) {
            dailyTimer = new javax.swing.Timer(200, e -> dailyTick());
            dailyTimer.start();
        }
    }

    /** Another session took over: the API closes; "after_s:N" shows existing_session_detected (mid-session)
     *  at once, "relogin_after_s:N" first shows relogin_required (Re-login / Cancel). */
    private void otherSessionTookOver(boolean relogin) {
        if (!loggedIn || exiting) return;
        events.event("session_taken_over");
        stopApi();
        Window owner = mainWindow != null ? mainWindow : login;
        Runnable existing = () -> LoginDialogs.existingSession(owner, false, () -> {
            events.event("session_reconnected");
            startApi();
        }, () -> requestExit(0, "existing session: exit application"));
        if (relogin) LoginDialogs.reloginRequired(owner, existing, () -> requestExit(0, "relogin required: cancel"));
        else existing.run();
    }

    /** The security token expired during the session: API closed, token_expired over the main window, then a
     *  full login. The fresh token of that login does not expire again in this process. */
    private void tokenExpiredMidSession() {
        if (!loggedIn || exiting || tokenRenewed) return;
        tokenRenewed = true;
        events.event("token_expired");
        stopApi();
        loggedIn = false;
        Window owner = mainWindow != null && mainWindow.isShowing() ? mainWindow : login;
        LoginDialogs.tokenExpired(owner, () -> {
            if (mainWindow != null) mainWindow.setVisible(false);
            login.afterTokenExpiry();
            login.showLogin();
        });
    }

    /** The next auto logoff/restart moment after 'from', from the settings (hh:mm + AM/PM); null if unset. */
    java.time.LocalDateTime nextAuto(java.time.LocalDateTime from) {
        try {
            String[] hm = settings.get("auto_logoff_time").trim().split(":");
            int h = Integer.parseInt(hm[0].trim()) % 12, m = Integer.parseInt(hm[1].trim());
            if ("PM".equalsIgnoreCase(settings.get("auto_logoff_ampm").trim())) h += 12;
            java.time.LocalDateTime t = from.toLocalDate().atTime(h, m);
            if (!t.isAfter(from)) t = t.plusDays(1);
            return t;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private java.time.LocalDateTime autoTarget;
    private String autoTargetKey;

    private void dailyTick() {
        if (!loggedIn || exiting) return;
        java.time.LocalDateTime now = clock.now();
        String key = settings.get("auto_logoff_time") + " " + settings.get("auto_logoff_ampm");
        if (autoTarget == null || !key.equals(autoTargetKey)) {
            java.time.LocalDateTime t = nextAuto(now);
            if (t == null) return;
            autoTarget = t;
            autoTargetKey = key;
        }
        long secsLeft = java.time.Duration.between(now, autoTarget).getSeconds();
        String when = autoTarget.toLocalTime().format(java.time.format.DateTimeFormatter.ofPattern("hh:mm a", Locale.US));
        if (secsLeft <= 0) {
            autoExit();
        } else if (secsLeft <= 5 * 60 && secsLeft > 60 && !autoTarget.toString().equals(warnedFor)) {
            warnedFor = autoTarget.toString();
            // not shown when the session started inside the warning window ("set very close to now")
            events.event("auto_exit_warning", "at", when, "mode", settings.get("auto_mode"));
            callStatic("replica.ExitSessionSettingDialog", "open", new Class<?>[] {Gateway.class, Window.class, String.class},
                    this, mainWindow != null ? mainWindow : login, when);
        }
    }

    private void autoExit() {
        crash("logoff");
        boolean restart = "restart".equalsIgnoreCase(settings.get("auto_mode"));
        if (restart) {
            double remaining = scenario.tokenExpiryAfterS == null || tokenRenewed ? 1e12
                    : scenario.tokenExpiryAfterS - (clock.millis() - tokenCreatedAt) / 1000.0;
            try {
                Files.write(settingsDir.resolve("autorestart"), Json.write(Json.obj("username", sessionUser,
                        "token_remaining_s", remaining, "written", System.currentTimeMillis() / 1000.0))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (Exception e) {
                System.err.println("replica: cannot write autorestart: " + e);
            }
            requestExit(0, "auto restart");
        } else {
            requestExit(0, "auto logoff");
        }
    }

    /** Call a static method of another helper's class if it exists (keeps this file compiling alone). */
    static Object callStatic(String cls, String method, Class<?>[] types, Object... args) {
        try {
            return Class.forName(cls).getMethod(method, types).invoke(null, args);
        } catch (ClassNotFoundException e) {
            System.err.println("replica: " + cls + " missing");
        } catch (Exception e) {
            System.err.println("replica: " + cls + "." + method + " failed: " + e);
        }
        return null;
    }

    public boolean loggedIn() { return loggedIn; }

    /** Windows register when shown (or raised) so the tree can report the stacking order: without a window
     *  manager the window shown last is on top. */
    public void register(Window w) {
        synchronized (windows) {
            windows.remove(w);
            windows.add(w);
        }
    }

    /** Give w the keyboard focus (on c), and retry a little later while w is still our topmost window: without a
     *  window manager, focus requests of windows shown in quick succession race each other. */
    public void grabFocus(Window w, Component c) {
        Runnable r = () -> {
            // only while the window has not got the focus yet: never undo a click the user made meanwhile
            if (!w.isShowing() || topmost() != w) return;
            if (w.isFocused() && w.getFocusOwner() != null) return;
            w.toFront();
            if (c != null) c.requestFocus();
            else w.requestFocus();
        };
        r.run();
        later(120, r);
        later(400, r);
    }

    /** Our topmost showing window (the last registered that is showing). */
    public Window topmost() {
        synchronized (windows) {
            for (int i = windows.size() - 1; i >= 0; i--) {
                if (windows.get(i).isShowing()) return windows.get(i);
            }
        }
        return null;
    }

    /** The given showing windows, topmost first: popups and unregistered windows first, then registered ones
     *  by most recent registration, with modal-less owned windows above their owners. */
    public List<Window> stackingOrder(List<Window> showing) {
        List<Window> out = new ArrayList<>();
        List<Window> reg;
        synchronized (windows) { reg = new ArrayList<>(windows); }
        for (int i = showing.size() - 1; i >= 0; i--) {
            if (!reg.contains(showing.get(i))) out.add(showing.get(i));
        }
        for (int i = reg.size() - 1; i >= 0; i--) {
            if (showing.contains(reg.get(i))) out.add(reg.get(i));
        }
        return out;
    }

    public MainWindow mainWindow() { return mainWindow; }

    /** The real gateway's X11 windows have WM_CLASS "install4j-ibgateway-GWClient" (scripts search for it);
     *  XToolkit derives it from a private field, set here when the launcher opened sun.awt.X11 to us. */
    private static void setWmClass() {
        try {
            Toolkit tk = Toolkit.getDefaultToolkit();
            java.lang.reflect.Field f = tk.getClass().getDeclaredField("awtAppClassName");
            f.setAccessible(true);
            f.set(null, "install4j-ibgateway-GWClient");
        } catch (Throwable e) {
            // not XToolkit or not opened: keep Java's default class name
        }
    }

    /** Opens the main window (Helper C's MainWindow). */
    public void onLoggedIn() {
        if (mainWindow == null) mainWindow = new MainWindow(this);
        mainWindow.showWindow();
    }

    public synchronized void startApi() {
        if (apiServer != null) return;
        try {
            Class<?> c = Class.forName("replica.ApiServer");
            Object s;
            try {
                s = c.getConstructor(EventLog.class, String.class).newInstance(events, accountId());
            } catch (NoSuchMethodException e) {
                s = c.getConstructor(EventLog.class).newInstance(events);
            }
            try {
                c.getMethod("setTimeSource", java.util.function.LongSupplier.class)
                        .invoke(s, (java.util.function.LongSupplier) clock::millis);
                c.getMethod("setZone", java.time.ZoneId.class).invoke(s, clock.zone());
            } catch (NoSuchMethodException e) { /* older ApiServer */ }
            int port = Integer.parseInt(settings.get("api_port").trim());
            crash("api");
            c.getMethod("start", int.class).invoke(s, port);
            apiServer = s;
            tellMainWindow("connected");
            scheduleApiFreeze();
        } catch (ClassNotFoundException e) {
            System.err.println("replica: no ApiServer class; API not started");
        } catch (Exception e) {
            Throwable t = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            System.err.println("replica: API server failed: " + t);
            events.event("api_failed", "port", settings.get("api_port"), "error", String.valueOf(t));
        }
    }

    private boolean apiFreezeScheduled;

    /** Scenario api_freeze_after_s / api_freeze_for_s: the window stays as it is while the API hangs. */
    private void scheduleApiFreeze() {
        if (scenario.apiFreezeAfterS <= 0 || apiFreezeScheduled) return;
        apiFreezeScheduled = true;
        later((int) clock.realMillis(scenario.apiFreezeAfterS), () -> {
            setApiFrozen(true);
            if (scenario.apiFreezeForS > 0) later((int) clock.realMillis(scenario.apiFreezeForS), () -> setApiFrozen(false));
        });
    }

    private synchronized void setApiFrozen(boolean frozen) {
        if (apiServer == null) return;
        try {
            apiServer.getClass().getMethod("setFrozen", boolean.class).invoke(apiServer, frozen);
            events.event(frozen ? "api_frozen" : "api_thawed");
        } catch (Exception e) {
            System.err.println("replica: API freeze failed: " + e);
        }
    }

    public synchronized void stopApi() {
        if (apiServer == null) return;
        try {
            apiServer.getClass().getMethod("stop").invoke(apiServer);
        } catch (Exception e) {
            System.err.println("replica: API stop failed: " + e);
        }
        apiServer = null;
        tellMainWindow("disconnected");
    }

    public boolean apiRunning() { return apiServer != null; }

    /** The "Interactive Brokers API Server" row follows the API at once (no polling delay for the tree). */
    private void tellMainWindow(String status) {
        MainWindow mw = mainWindow;
        if (mw == null) return;
        if (SwingUtilities.isEventDispatchThread()) mw.setApiStatus(status);
        else SwingUtilities.invokeLater(() -> mw.setApiStatus(status));
    }

    /** The account id the API reports: paper accounts start with "DU". */
    public String accountId() {
        Object o = scenario.raw.get("account_id");
        if (o != null) return o.toString();
        return scenario.paper() ? "DU1234567" : "U1234567";
    }

    /** The running ApiServer (Helper B) or null. */
    public Object apiServer() { return apiServer; }

    /** Shutdown: shutdown_progress (Helper C's ShutdownProgress) for about a second, API closed, then exit. */
    public void requestExit(int code, String reason) {
        if (exiting) return;
        exiting = true;
        Runnable go = () -> {
            events.event("shutdown", "reason", reason);
            Window owner = mainWindow != null && mainWindow.isShowing() ? mainWindow
                    : login != null && login.isShowing() ? login : null;
            Object dlg = callStatic("replica.ShutdownProgress", "open", new Class<?>[] {Gateway.class, Window.class}, this, owner);
            stopApi();
            later(1200, () -> {
                if (dlg instanceof Window) ((Window) dlg).dispose();
                events.event("exit", "code", code, "reason", reason);
                System.exit(code);
            });
        };
        if (SwingUtilities.isEventDispatchThread()) go.run();
        else SwingUtilities.invokeLater(go);
    }
}
