package replica;

import java.awt.*;
import javax.swing.*;

/** Notices of the logged-in session (CATALOG §2.28, §2.49): bid_ask_last_size_update (after login, before the
 *  API starts; scenario "bid_ask_notice") and reconnect_confirmation (scenario "reconnect_prompt_after_s"),
 *  in the shared DarkDialog look. Texts the catalog does not give are guesses (README "Guesses"). */
public final class SessionNotices {
    private SessionNotices() {}

    private static boolean bidAskShown;   // once per process, as after the first login of a build

    /** Show bid_ask_last_size_update if the scenario asks for it and it was not dismissed for good, then next;
     *  market data (here: the API) waits for "I understand - display market data". */
    public static void bidAskThen(Gateway gw, Window owner, Runnable next) {
        boolean wanted = gw.scenario.bidAskNotice;
        if (!wanted || bidAskShown || "true".equals(gw.settings.get("bid_ask_notice_hidden"))) {
            next.run();
            return;
        }
        bidAskShown = true;
        bidAsk(owner, next);
    }

    /** §2.28: a text pane starting "Bid, Ask and Last Size Display Update" (IBC finds it by that text), the
     *  check box "Don't display this message again." and the button "I understand - display market data".
     *  Ticking the box keeps the notice away in later launches (setting bid_ask_notice_hidden). */
    public static DarkDialog bidAsk(Window owner, Runnable onAccept) {
        boolean drift = LoginFaultDialogs.drift();
        Gateway gw = Gateway.get();
        DarkDialog d = new DarkDialog(owner, LoginFaultDialogs.gatewayTitle(), "bid_ask_last_size_update");
        JPanel body = new JPanel(new BorderLayout(0, 14));
        body.setBackground(Theme.DIALOG_BODY);
        body.setBorder(BorderFactory.createEmptyBorder(22, 30, 14, 30));
        body.add(DarkDialog.messageBody(
                "Bid, Ask and Last Size Display Update", "",
                "Bid, ask and last sizes for US stocks are now displayed in shares",
                "instead of lots (1 lot = 100 shares). API clients that expect lots can",
                "keep them with the API setting \"Send market data in lots for US",
                "stocks for dual-mode API clients\".", "",
                "Market data is held until you confirm."), BorderLayout.CENTER);
        JCheckBox again = new JCheckBox("Don't display this message again.");
        again.setFont(Theme.font(12));
        again.setForeground(Color.WHITE);
        again.setOpaque(false);
        again.setFocusPainted(false);
        Theme.role(again, "dont_display_again");
        again.addActionListener(e -> gw.events.event("click", "role", "dont_display_again",
                "screen", "bid_ask_last_size_update", "selected", again.isSelected()));
        // in a left-aligned row, so that its box is the box itself and not the body's width
        JPanel row = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        row.setOpaque(false);
        row.setBorder(BorderFactory.createEmptyBorder(0, 10, 0, 0));
        row.add(again);
        body.add(row, BorderLayout.SOUTH);
        d.setBody(body);
        d.addButton(drift ? "I Understand - Display Market Data" : "I understand - display market data",
                "accept_button", () -> {
                    if (again.isSelected()) {
                        gw.settings.set("bid_ask_notice_hidden", "true");
                        gw.settings.save();
                    }
                    gw.events.event("bid_ask_notice", "result", "accepted", "dont_display_again", again.isSelected());
                    d.close();
                    if (onAccept != null) onAccept.run();
                });
        LoginFaultDialogs.finish(d, owner, 520);
        return d;
    }

    /** reconnect_prompt_after_s: N scenario seconds after login, reconnect_confirmation over the main window. */
    public static void scheduleReconnectPrompt(Gateway gw) {
        Double after = gw.scenario.reconnectPromptAfterS;
        if (after == null) return;
        Gateway.later((int) gw.clock.realMillis(after), () -> {
            if (!gw.loggedIn()) return;
            Window owner = gw.mainWindow() != null && gw.mainWindow().isShowing() ? gw.mainWindow() : null;
            if (owner == null) return;
            reconnectConfirmation(owner,
                    () -> gw.events.event("reconnect_confirmation", "result", "ok"),
                    () -> gw.events.event("reconnect_confirmation", "result", "cancelled"));
        });
    }

    /** §2.49: title "IBKR Gateway" (IBC also needs the title) with the label 'Are you sure you want to execute
     *  "simulate…'; the rest of the label, the second line and the Cancel button are guesses. The drift title
     *  "IB Gateway" is one IBC would not recognise. */
    public static DarkDialog reconnectConfirmation(Window owner, Runnable onOk, Runnable onCancel) {
        DarkDialog d = LoginFaultDialogs.message(owner, LoginFaultDialogs.gatewayTitle(), "reconnect_confirmation", null,
                "Are you sure you want to execute \"simulate data reconnect\"?",
                "Market data connections will be closed and opened again.");
        d.addButton("OK", "ok_button", () -> { d.close(); if (onOk != null) onOk.run(); });
        d.addButton("Cancel", "cancel_button", () -> { d.close(); if (onCancel != null) onCancel.run(); });
        LoginFaultDialogs.finish(d, owner, 460);
        return d;
    }
}
