package replica;

import java.awt.*;
import javax.swing.*;

/** Dialogs of the login's fault paths (CATALOG §2.16, 2.18, 2.19, 2.22): unrecognized_credentials,
 *  server_disconnected_error, use_ssl_encryption and newer_version_available, in the shared DarkDialog look.
 *  They come from the scenario field "fault" (and "newer_version"); Gateway decides when. Texts that the catalog
 *  does not give are guesses (README "Guesses"). The drift look renames a title or a button and moves the
 *  dialog by tens of pixels, with the same screen ids and roles. */
public final class LoginFaultDialogs {
    private LoginFaultDialogs() {}

    /** Drift offset of these dialogs from the centre of their owner. */
    static final int DRIFT_DX = 34, DRIFT_DY = -26;

    static boolean drift() { return Gateway.get() != null && Gateway.get().drift; }

    static String gatewayTitle() { return drift() ? "IB Gateway" : "IBKR Gateway"; }

    static DarkDialog message(Window owner, String title, String screen, Icon icon, String... lines) {
        DarkDialog d = new DarkDialog(owner, title, screen);
        JComponent body = DarkDialog.messageBody(icon, lines);
        body.setBorder(BorderFactory.createEmptyBorder(24, 30, 24, 30));
        d.setBody(body);
        return d;
    }

    /** Size (at least minW x 170), centre on the owner, show; the drift look then moves it off centre. */
    static void finish(DarkDialog d, Window owner, int minW) {
        d.pack();
        d.setSize(Math.max(minW, d.getWidth()), Math.max(170, d.getHeight()));
        d.showCentredOn(owner);
        if (drift()) d.setLocation(d.getX() + DRIFT_DX, d.getY() + DRIFT_DY);
    }

    /** The warning triangle of the paper Warning dialog (44x40) as an Icon for message bodies. */
    static final Icon WARNING = new Icon() {
        @Override public void paintIcon(Component c, Graphics g, int x, int y) {
            Graphics2D g2 = (Graphics2D) g.create();
            PaperWarningDialog.paintWarningIcon(g2, x, y);
            g2.dispose();
        }
        @Override public int getIconWidth() { return 45; }
        @Override public int getIconHeight() { return 41; }
    };

    /** §2.18, new text (since 972): "Connection to server failed: Server disconnected, please try again" in a
     *  dialog titled "IBKR Gateway" ("IB Gateway" in the drift look). OK only. */
    public static DarkDialog serverDisconnected(Window owner, Runnable onOk) {
        DarkDialog d = message(owner, gatewayTitle(), "server_disconnected_error", WARNING,
                "Connection to server failed: Server disconnected, please try again");
        d.addButton("OK", "ok_button", () -> { d.close(); if (onOk != null) onOk.run(); });
        finish(d, owner, 460);
        return d;
    }

    /** §2.16: titled "Unrecognized Username or Password" (QCA matches the title exactly; the drift look writes it
     *  in sentence case). The message text is a guess. OK only. */
    public static DarkDialog unrecognizedCredentials(Window owner, Runnable onOk) {
        DarkDialog d = message(owner,
                drift() ? "Unrecognized username or password" : "Unrecognized Username or Password",
                "unrecognized_credentials", null,
                "Unrecognized Username or Password.", "",
                "The username or password you entered was not recognized.",
                "Please check them and try again. Passwords are case sensitive.");
        d.addButton("OK", "ok_button", () -> { d.close(); if (onOk != null) onOk.run(); });
        finish(d, owner, 460);
        return d;
    }

    /** §2.19: title "Use SSL encryption"; "Reconnect using SSL" continues the login, the second button closes the
     *  program (its name "Close" is a guess: the catalog only says "an exit/close option"). */
    public static DarkDialog useSsl(Window owner, Runnable onReconnect, Runnable onClose) {
        boolean drift = drift();
        DarkDialog d = message(owner, "Use SSL encryption", "use_ssl_encryption", WARNING,
                "Your connection to the server is not using SSL encryption.", "",
                "IB requires SSL encryption for this connection. Reconnect using",
                "SSL, or close the program.");
        d.addButton(drift ? "Reconnect Using SSL" : "Reconnect using SSL", "reconnect_using_ssl_button",
                () -> { d.close(); if (onReconnect != null) onReconnect.run(); });
        d.addButton("Close", "close_button", () -> { d.close(); if (onClose != null) onClose.run(); });
        finish(d, owner, 480);
        return d;
    }

    /** §2.22: a dialog with a label containing "Newer Version" and Yes/No (the Linux variant IBC handles by
     *  clicking No). The version and message are guesses; the drift look names the buttons
     *  "Download Now" / "Not Now". Both buttons close it and leave the login frame as it was. */
    public static DarkDialog newerVersion(Window owner, Runnable onYes, Runnable onNo) {
        boolean drift = drift();
        DarkDialog d = message(owner, gatewayTitle(), "newer_version_available", null,
                "Newer Version Available", "",
                "A newer version of IB Gateway (10.45.1c) is available.",
                "Would you like to download it now?");
        d.addButton(drift ? "Download Now" : "Yes", "yes_button", () -> { d.close(); if (onYes != null) onYes.run(); });
        d.addButton(drift ? "Not Now" : "No", "no_button", () -> { d.close(); if (onNo != null) onNo.run(); });
        finish(d, owner, 440);
        return d;
    }
}
