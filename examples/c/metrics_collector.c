/* Collects statsd datagrams; ../python/statsd_receiver.py listens on the same port. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

int open_collector(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(8125);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return bind(fd, (struct sockaddr *)&addr, sizeof addr);
}
