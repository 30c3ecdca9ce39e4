using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Provisioning.Tests.Infrastructure;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port from that range, free when chosen, can be taken by any outgoing
    // connection before the process meant for it binds it.
    private const int First = 10000;
    private const int Last = 32000;

    private static readonly ConcurrentDictionary<int, bool> Given = new();

    /// <summary>A TCP port on loopback that nothing listens on right now, not handed out before in this test run.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!Given.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException($"no free TCP port between {First} and {Last}");
    }
}
