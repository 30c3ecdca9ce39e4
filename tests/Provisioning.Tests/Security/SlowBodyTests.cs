using System.Net;
using System.Net.Sockets;
using System.Text;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Security;

/// <summary>
/// Two hundred connections that send a webhook's headers and then trickle its body just above Kestrel's minimum data
/// rate: a real, signed delivery sent meanwhile is still recorded at once, and the trickling bodies are cut off.
/// </summary>
public sealed class SlowBodyTests(TestSystem system) : IClassFixture<TestSystem>
{
    private const int Senders = 200;

    [Fact]
    public async Task StripeDelivery_WhileManyBodiesTrickle_IsRecorded()
    {
        await using var trickle = await Trickle.StartAsync(system.GatewayUrl, "/api/webhooks/stripe", Senders);
        var delivery = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));

        var answer = await Eventually.UntilAsync(
            () => system.Http.SendWebhookAsync(delivery.ToRequest()), a => a.Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(8), "the delivery to be recorded while bodies trickle");

        Assert.Equal("job-created", answer.Outcome);
        Assert.True(trickle.StillSending >= Senders / 2, $"only {trickle.StillSending} senders were still trickling: the test proved nothing");
    }

    [Theory]
    [InlineData("/api/webhooks/stripe")]
    [InlineData("/api/webhooks/github")]
    [InlineData("/api/webhooks/github/events")]
    public async Task TricklingBody_IsCutOffWith408(string path)
    {
        await using var trickle = await Trickle.StartAsync(system.GatewayUrl, path, 1);

        var status = await trickle.FirstStatusAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(408, status);
    }

    /// <summary>Connections sending one request's headers at once and its body 300 bytes a second (Kestrel requires 240).</summary>
    private sealed class Trickle : IAsyncDisposable
    {
        private readonly List<Socket> _sockets = [];
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private int _sending;

        public int StillSending => Volatile.Read(ref _sending);

        public static async Task<Trickle> StartAsync(Uri gateway, string path, int count)
        {
            var trickle = new Trickle();
            var headers = Encoding.ASCII.GetBytes(
                $"POST {path} HTTP/1.1\r\nHost: {gateway.Authority}\r\nContent-Type: application/json\r\n" +
                "Content-Length: 60000\r\nStripe-Signature: t=1,v1=00\r\nwebhook-id: msg_slow\r\n\r\n");
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(gateway.Host, gateway.Port);
                await socket.SendAsync(headers);
                trickle._sockets.Add(socket);
            }

            trickle._loop = trickle.SendAsync();
            return trickle;
        }

        /// <summary>The status code of the first socket's answer.</summary>
        public async Task<int> FirstStatusAsync()
        {
            var buffer = new byte[512];
            var read = await _sockets[0].ReceiveAsync(buffer);
            var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
            return int.Parse(line.Split(' ')[1]);
        }

        private async Task SendAsync()
        {
            var chunk = Encoding.ASCII.GetBytes("{\"a\":\"" + new string('x', 290) + "\",");
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                var sending = 0;
                foreach (var socket in _sockets)
                {
                    try
                    {
                        await socket.SendAsync(chunk, SocketFlags.None);
                        sending++;
                    }
                    catch (SocketException)
                    {
                        // The gateway cut this one off.
                    }
                }

                Volatile.Write(ref _sending, sending);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            _stop.Dispose();
        }
    }
}
