import java.io.*;
import java.nio.file.Path;
import replica.ApiServer;
import replica.EventLog;

/** Standalone harness for ApiServer (tests/test_replica_api.py):
 *  java ApiServerMain PORT ACCOUNT EVENTS_JSONL
 *  Prints "LISTENING <port>"; on a stdin line "stop" stops the server and prints
 *  "STOPPED listening=<bool>"; exits at stdin EOF (stopping first if needed). */
public class ApiServerMain {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String account = args.length > 1 ? args[1] : "DU1234567";
        EventLog log = new EventLog(Path.of(args.length > 2 ? args[2] : "events.jsonl"));
        ApiServer api = new ApiServer(log, account);
        api.start(port);
        System.out.println("LISTENING " + api.port() + " listening=" + api.isListening());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("stop")) {
                api.stop();
                System.out.println("STOPPED listening=" + api.isListening());
            } else if (line.trim().equals("clients")) {
                System.out.println("CLIENTS " + api.clientIds());
            }
            System.out.flush();
        }
        api.stop();
    }
}
