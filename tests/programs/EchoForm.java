import java.awt.Color;
import java.awt.Font;
import java.awt.GridLayout;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/** A text field over a password field, at known places (100,100 and 100,150, 600x40 each); Return in
 *  either prints what it holds (TEXT[...] or PASSWORD[...]) and clears it, so typing can be read back.
 *  The password field is dark with light dots, as the gateway's is. */
public class EchoForm {
    public static void main(String[] args) {
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame("EchoForm");
            frame.setUndecorated(true);
            JPanel panel = new JPanel(new GridLayout(2, 1, 0, 10));
            JTextField text = new JTextField();
            JPasswordField password = new JPasswordField();
            for (JTextField field : new JTextField[] {text, password}) {
                field.setFont(new Font("DejaVu Sans", Font.PLAIN, 16));
                String tag = field == text ? "TEXT" : "PASSWORD";
                field.addActionListener(e -> {
                    String value = field == text ? text.getText() : new String(password.getPassword());
                    System.out.println(tag + "[" + value + "]");
                    System.out.flush();
                    field.setText("");
                });
            }
            password.setEchoChar('\u2022');
            password.setBackground(new Color(30, 30, 30));
            password.setForeground(Color.WHITE);
            password.setCaretColor(Color.WHITE);
            panel.add(text);
            panel.add(password);
            frame.setContentPane(panel);
            frame.setBounds(100, 100, 600, 90);
            frame.setVisible(true);
            System.out.println("READY");
            System.out.flush();
        });
    }
}
