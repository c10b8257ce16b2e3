/* A Windows service listener that wanted both fast restarts and exclusivity. */
#include <winsock2.h>
#include <ws2tcpip.h>

int start_listener(void) {
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    BOOL yes = TRUE;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&yes, sizeof yes);
    setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&yes, sizeof yes);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(8530);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(s, (SOCKADDR *)&addr, sizeof addr) == SOCKET_ERROR) {
        return -1;
    }
    return listen(s, SOMAXCONN);
}
