package replica;

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import javax.swing.SwingUtilities;

/** 127.0.0.1 line protocol: "tree" → one line of JSON (TreeDump), "ping" → "pong". Its port is written to
 *  SETTINGS_DIR/replica/control.port. The dump runs on the EDT so boxes are consistent with what is painted. */
public final class ControlServer {
    private final ServerSocket server;

    public ControlServer(int port, Path portFile) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Files.createDirectories(portFile.getParent());
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.write(tmp, (server.getLocalPort() + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread t = new Thread(this::acceptLoop, "replica-control");
        t.setDaemon(true);
        t.start();
    }

    public int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "replica-control-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private void serve(Socket s) {
        try (Socket sock = s;
             BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new BufferedWriter(new OutputStreamWriter(sock.getOutputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.trim();
                if (cmd.equals("ping")) {
                    out.write("pong\n");
                } else if (cmd.equals("tree")) {
                    final String[] json = new String[1];
                    try {
                        SwingUtilities.invokeAndWait(() -> {
                            try {
                                json[0] = Json.write(TreeDump.dump());
                            } catch (RuntimeException e) {
                                json[0] = Json.write(Json.obj("error", e.toString()));
                            }
                        });
                    } catch (Exception e) {
                        json[0] = Json.write(Json.obj("error", e.toString()));
                    }
                    out.write(json[0]);
                    out.write("\n");
                } else if (cmd.isEmpty()) {
                    continue;
                } else {
                    out.write(Json.write(Json.obj("error", "unknown command: " + cmd)) + "\n");
                }
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }
}
