import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;

/** Answers every connection with the current time. */
public class TimeServer {
    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(1313);
        server.setReuseAddress(true);
        while (true) {
            try (Socket client = server.accept(); PrintWriter out = new PrintWriter(client.getOutputStream(), true)) {
                out.println(Instant.now());
            }
        }
    }
}
