package replica;

import java.awt.*;

/** The notice after Apply/OK with "Auto restart" selected (CATALOG §2.38, screen auto_restart_notice): the
 *  IBKR wording about daily restarts and the weekly Sunday 01:00 ET re-authentication, and OK. */
public final class ApplyNoticeDialog {
    private ApplyNoticeDialog() {}

    public static DarkDialog open(Gateway g, Window owner) {
        boolean drift = g != null && g.drift;
        DarkDialog d = new DarkDialog(owner, drift ? "IB Gateway" : "IBKR Gateway", "auto_restart_notice");
        d.setBody(DarkDialog.messageBody(
                "You have elected to have your trading platform restart automatically on a daily basis.",
                "This procedure will require manual authentication once a week, the first time you log",
                "into the platform after the security tokens have been invalidated, a security process",
                "that occurs each Sunday at 1:00 am ET.",
                "",
                drift ? "Please make sure you are available to log in after the weekly reset."
                      : "Please plan to be available to complete the weekly authentication."));
        d.addButton("OK", "ok_button", d::close);
        d.setSize(drift ? 640 : 620, 210);
        d.showCentredOn(owner);
        return d;
    }
}
