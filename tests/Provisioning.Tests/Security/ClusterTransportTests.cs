using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Security;

/// <summary>
/// The Orleans ports of real silo processes: reachable only on the advertised address, and with mutual TLS only by a
/// client that shows a certificate of the cluster's authority (the gateway's).
/// </summary>
public sealed class ClusterTransportTests
{
    [Fact]
    public async Task Client_WithoutTheClustersCertificate_CannotCallAGrain()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("tls");
        await using var cluster = new ProcessCluster(connectionString);
        await cluster.StartSiloAsync("silo-1");

        // The gateway's certificate works: the silo is up and serving grains over TLS.
        var trusted = await cluster.ConnectClientAsync();
        Assert.NotEmpty(await trusted.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true));

        Assert.False(await CanCallAGrainAsync(cluster, TestCertificates.ForeignGatewaySettings()),
            "a client whose certificate comes from another authority called a grain");
        Assert.False(await CanCallAGrainAsync(cluster, new Dictionary<string, string?> { ["Orleans__Tls__Mode"] = "LoopbackPlaintext" }),
            "a client without TLS called a grain");
    }

    [Fact]
    public async Task Silo_InLoopbackPlaintextMode_ServesPlaintextClientsOnLoopback()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("plaintext");
        await using var cluster = new ProcessCluster(connectionString);
        cluster.SiloSettings["Orleans__Tls__Mode"] = "LoopbackPlaintext";
        await cluster.StartSiloAsync("silo-1");

        Assert.True(await CanCallAGrainAsync(cluster, new Dictionary<string, string?> { ["Orleans__Tls__Mode"] = "LoopbackPlaintext" }),
            "a plaintext client could not call a grain of a LoopbackPlaintext silo");
    }

    [Fact]
    public async Task Silo_ListensOnlyOnItsAdvertisedAddress()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("listen");
        await using var cluster = new ProcessCluster(connectionString);
        await cluster.StartSiloAsync("silo-1");

        foreach (var port in new[] { cluster.SiloPorts["silo-1"], cluster.GatewayPorts["silo-1"] })
        {
            Assert.True(await AcceptsAsync(IPAddress.Loopback, port), $"nothing listens on the advertised 127.0.0.1:{port}");
            // Another address of this machine (127.0.0.2 reaches the same host, like any other interface would).
            Assert.False(await AcceptsAsync(IPAddress.Parse("127.0.0.2"), port), $"port {port} also listens beyond the advertised address");
        }
    }

    [Fact]
    public async Task Silo_PlaintextOnANetworkAddress_RefusesToStartNamingTheKeys()
    {
        await using var silo = HostProcess.Start("Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = "Host=127.0.0.1;Port=1;Username=postgres",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Orleans__AdvertisedIPAddress"] = "10.255.255.1",
            ["Orleans__Tls__Mode"] = "LoopbackPlaintext",
        });

        Assert.NotEqual(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Orleans:Tls:Mode is LoopbackPlaintext but Orleans:AdvertisedIPAddress 10.255.255.1 is not a loopback address", silo.Output);
        Assert.Contains("Orleans:Tls:AllowPlaintextBeyondLoopback", silo.Output);
    }

    [Fact]
    public async Task Silo_WithoutCertificate_RefusesToStartNamingTheKeys()
    {
        await using var silo = HostProcess.Start("Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = "Host=127.0.0.1;Port=1;Username=postgres",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        Assert.NotEqual(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Orleans:Tls:CertificatePath", silo.Output);
        Assert.Contains("Orleans:Tls:PeerSubjects", silo.Output);
    }

    /// <summary>Whether a client host with these transport settings connects and gets an answer from a grain within 15 s (a trusted client needs about one).</summary>
    private static async Task<bool> CanCallAGrainAsync(ProcessCluster cluster, Dictionary<string, string?> tlsSettings)
    {
        IHost? client = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            client = await cluster.StartClientAsync(tlsSettings, deadline.Token);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            return (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(deadline.Token)).Count > 0;
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            if (client is not null)
            {
                try
                {
                    await client.StopAsync(TimeSpan.FromSeconds(5));
                }
                catch (OperationCanceledException)
                {
                    // A client that never reached a silo has nothing to say goodbye to.
                }

                client.Dispose();
            }
        }
    }

    private static async Task<bool> AcceptsAsync(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port)).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
