import java.awt.Font;
import javax.swing.JFrame;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/** One Swing text field at a known place; Return prints its text, so a test can read typing back. */
public class EchoField {
    public static void main(String[] args) {
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame("EchoField");
            frame.setUndecorated(true);
            JTextField field = new JTextField();
            field.setFont(new Font("DejaVu Sans", Font.PLAIN, 16));
            field.addActionListener(e -> {
                System.out.println("TEXT[" + field.getText() + "]");
                System.out.flush();
                field.setText("");
            });
            frame.add(field);
            frame.setBounds(100, 100, 600, 40);
            frame.setVisible(true);
            System.out.println("READY");
            System.out.flush();
        });
    }
}
