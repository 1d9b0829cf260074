package replica;

import java.awt.*;
import java.awt.geom.*;
import javax.swing.*;

/** Screen "paper_trading_warning": the "Warning" dialog after every paper login, laid out as measured on
 *  reference paper_warning_accept: 501x260, icon 44x40 at (64,100), five 13-px lines from baseline 82 every
 *  17 px at x=130, "I understand and accept" 175x27 centred at y=227. API connections wait for the accept. */
public class PaperWarningDialog extends DarkDialog {
    static final String[] LINES = {
        "This is not a brokerage account.",
        "This is a \"paper\" trading account in which you",
        "can engage in simulated trading.",
        "",
        "Please confirm that you understand and wish",
        "to conduct simulated trading before proceeding."};

    public PaperWarningDialog(Window owner, Runnable onAccept) {
        super(owner, "Warning", "paper_trading_warning");
        final boolean drift = Gateway.get().drift;
        JPanel body = new JPanel(null) {
            @Override protected void paintComponent(Graphics g0) {
                super.paintComponent(g0);
                Graphics2D g = (Graphics2D) g0.create();
                paintWarningIcon(g, drift ? 50 : 61, drift ? 56 : 66);
                g.dispose();
            }
        };
        body.setBackground(Theme.DIALOG_BODY);
        int y = 48 - 12;    // JLabel top = baseline - ascent (13 px font: ascent 13)
        for (String s : LINES) {
            if (!s.isEmpty()) {
                JLabel l = new JLabel(s);
                l.setFont(Theme.font(13));
                l.setForeground(Color.WHITE);
                Dimension d = l.getPreferredSize();
                l.setBounds(drift ? 117 : 127, y + (drift ? -6 : 0), d.width, d.height);
                body.add(l);
            }
            y += 17;
        }
        setBody(body);
        addButton(drift ? "I Understand and Accept" : "I understand and accept", "accept_button", () -> {
            close();
            if (onAccept != null) onAccept.run();
        });
        setSize(drift ? 521 : 501, 260);
    }

    /** Our own drawing of a yellow warning triangle with a black "!" (44x40). */
    static void paintWarningIcon(Graphics2D g, int x, int y) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Path2D t = new Path2D.Double();
        t.moveTo(x + 22, y + 1);
        t.lineTo(x + 43, y + 39);
        t.lineTo(x + 1, y + 39);
        t.closePath();
        g.setPaint(new GradientPaint(x, y, new Color(250, 236, 150), x + 44, y + 40, new Color(252, 236, 20)));
        g.fill(t);
        g.setColor(new Color(170, 140, 20));
        g.draw(t);
        g.setColor(Color.BLACK);
        g.fill(new RoundRectangle2D.Double(x + 20, y + 14, 4, 14, 3, 3));
        g.fill(new Ellipse2D.Double(x + 20, y + 31, 4, 4));
    }
}
