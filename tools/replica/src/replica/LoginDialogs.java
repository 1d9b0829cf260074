package replica;

import java.awt.*;
import javax.swing.*;

/** The small dark message dialogs of the login flow (CATALOG §2.11-2.17): login_failed,
 *  too_many_failed_attempts, existing_session_detected (at login / mid-session), relogin_required,
 *  token_expired. Texts from the catalog; layout in the shared DarkDialog look. */
public final class LoginDialogs {
    private LoginDialogs() {}

    private static DarkDialog message(Window owner, String title, String screen, String... lines) {
        DarkDialog d = new DarkDialog(owner, title, screen);
        JComponent body = DarkDialog.messageBody(lines);
        body.setBorder(BorderFactory.createEmptyBorder(24, 30, 24, 30));
        d.setBody(body);
        return d;
    }

    private static void finish(DarkDialog d, Window owner, int minW) {
        d.pack();
        d.setSize(Math.max(minW, d.getWidth()), Math.max(170, d.getHeight()));
        d.showCentredOn(owner);
    }

    public static DarkDialog loginFailed(Window owner, String text, Runnable onOk) {
        DarkDialog d = message(owner, Gateway.get().drift ? "Login Failed" : "Login failed", "login_failed", text);
        d.addButton("OK", "ok_button", () -> { d.close(); if (onOk != null) onOk.run(); });
        finish(d, owner, 400);
        return d;
    }

    /** "Too many failed login attempts. Please wait 53 seconds …" or "… 4 minutes & 47 seconds …". */
    public static DarkDialog tooManyAttempts(Window owner, long seconds, Runnable onOk) {
        String wait = seconds >= 60 ? (seconds / 60) + " minutes & " + (seconds % 60) + " seconds" : seconds + " seconds";
        DarkDialog d = message(owner, Gateway.get().drift ? "IB Gateway" : "IBKR Gateway", "too_many_failed_attempts",
                "Too many failed login attempts. Please wait " + wait,
                "before attempting to re-login again.");
        d.getRootPane().putClientProperty("ibga.state", new java.util.LinkedHashMap<String, Object>(
                java.util.Map.of("wait_seconds", seconds)));
        d.addButton("OK", "ok_button", () -> { d.close(); if (onOk != null) onOk.run(); });
        finish(d, owner, 460);
        return d;
    }

    /** atLogin: "Continue Login" / "Cancel"; mid-session: "Reconnect This Session" / "Exit Application".
     *  The drift look swaps the second button's name (Cancel ↔ Exit Application), as builds did in 2025. */
    public static DarkDialog existingSession(Window owner, boolean atLogin, Runnable onContinue, Runnable onExit) {
        boolean drift = Gateway.get().drift;
        DarkDialog d = atLogin
                ? message(owner, "Existing session detected", "existing_session_detected",
                        "EXISTING SESSION DETECTED", "",
                        "You are already logged in from another location (IP address 203.0.113.47).",
                        "Continuing will disconnect the other session.")
                : message(owner, "Existing session detected", "existing_session_detected",
                        "EXISTING SESSION DETECTED", "",
                        "Another session has been started with your username (IP address 203.0.113.47).",
                        "Reconnect this session to disconnect the other one, or exit.");
        Theme.state(d, "variant", atLogin ? "at_login" : "mid_session");
        String exitText = atLogin ? (drift ? "Exit Application" : "Cancel") : (drift ? "Cancel" : "Exit Application");
        d.addButton(atLogin ? "Continue Login" : "Reconnect This Session",
                atLogin ? "continue_login_button" : "reconnect_button",
                () -> { d.close(); if (onContinue != null) onContinue.run(); });
        d.addButton(exitText, atLogin ? "cancel_button" : "exit_application_button",
                () -> { d.close(); if (onExit != null) onExit.run(); });
        finish(d, owner, 520);
        return d;
    }

    public static DarkDialog reloginRequired(Window owner, Runnable onRelogin, Runnable onCancel) {
        DarkDialog d = message(owner, "Re-login is required", "relogin_required",
                "Your session was disconnected because you logged in from another location.",
                "Would you like to re-login?");
        d.addButton("Re-login", "relogin_button", () -> { d.close(); if (onRelogin != null) onRelogin.run(); });
        d.addButton("Cancel", "cancel_button", () -> { d.close(); if (onCancel != null) onCancel.run(); });
        finish(d, owner, 480);
        return d;
    }

    public static DarkDialog tokenExpired(Window owner, Runnable onOk) {
        DarkDialog d = message(owner, Gateway.get().drift ? "IB Gateway" : "IBKR Gateway", "token_expired",
                "The security tokens associated with your login credentials have expired",
                "(routinely) in accordance with our security protocols. Please manually",
                "enter your username and password.");
        d.addButton("OK", "ok_button", () -> { d.close(); if (onOk != null) onOk.run(); });
        finish(d, owner, 480);
        return d;
    }
}
