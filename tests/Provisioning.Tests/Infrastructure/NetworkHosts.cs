using System.Diagnostics;
using System.Net.NetworkInformation;

namespace Provisioning.Tests.Infrastructure;

/// <summary>One host of a <see cref="NetworkHosts"/> network: a Linux network namespace with one address.</summary>
public sealed record NetworkHost(string Name, string Namespace, string Address);

/// <summary>
/// Several hosts on this machine: one network namespace per host, each joined to a bridge in the test's own namespace by a
/// veth pair, all on one private /24. The test process reaches every host through the bridge. Links between two hosts are
/// cut with blackhole routes on both sides, so each host still reaches the others. Needs root and iproute2's <c>ip</c>.
/// </summary>
public sealed class NetworkHosts : IAsyncDisposable
{
    private readonly string _prefix;
    private readonly string _bridge;
    private readonly Dictionary<string, NetworkHost> _hosts = new(StringComparer.Ordinal);

    private NetworkHosts(string prefix, string subnet)
    {
        _prefix = prefix;
        _bridge = $"{prefix}br";
        Subnet = subnet;
        BridgeAddress = $"{subnet}.1";
    }

    /// <summary>The first three octets of the hosts' /24, e.g. <c>10.231.17</c>.</summary>
    public string Subnet { get; }

    /// <summary>The test process's own address on the network.</summary>
    public string BridgeAddress { get; }

    public NetworkHost this[string name] => _hosts[name];

    /// <summary>Why namespaces cannot be made here, or null when they can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (Environment.UserName != "root")
        {
            return "network namespaces need root (ip netns add); run the tests as root, as CI does";
        }

        return File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip") || File.Exists("/bin/ip")
            ? null
            : "iproute2's ip is missing (scripts/install-test-tools.sh installs it as root)";
    }

    /// <summary>Creates the bridge and one namespace per name, numbered in order from address .10.</summary>
    public static async Task<NetworkHosts> CreateAsync(params string[] names)
    {
        var id = Random.Shared.Next(0x1000, 0xffff).ToString("x4");
        var network = new NetworkHosts($"pv{id}", FreeSubnet());
        try
        {
            await IpAsync("link", "add", network._bridge, "type", "bridge");
            await IpAsync("addr", "add", $"{network.BridgeAddress}/24", "dev", network._bridge);
            await IpAsync("link", "set", network._bridge, "up");
            for (var i = 0; i < names.Length; i++)
            {
                await network.AddHostAsync(names[i], i);
            }

            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops every packet between two hosts, both ways, until <see cref="HealAsync"/>.</summary>
    public async Task CutAsync(string a, string b)
    {
        await IpAsync("-n", _hosts[a].Namespace, "route", "add", "blackhole", $"{_hosts[b].Address}/32");
        await IpAsync("-n", _hosts[b].Namespace, "route", "add", "blackhole", $"{_hosts[a].Address}/32");
    }

    public async Task HealAsync(string a, string b)
    {
        await IpAsync("-n", _hosts[a].Namespace, "route", "del", "blackhole", $"{_hosts[b].Address}/32");
        await IpAsync("-n", _hosts[b].Namespace, "route", "del", "blackhole", $"{_hosts[a].Address}/32");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await TryIpAsync("netns", "del", host.Namespace);
            var etc = Path.Combine("/etc/netns", host.Namespace);
            if (Directory.Exists(etc))
            {
                Directory.Delete(etc, recursive: true);
            }
        }

        await TryIpAsync("link", "del", _bridge);
    }

    private async Task AddHostAsync(string name, int index)
    {
        var host = new NetworkHost(name, $"{_prefix}-{name}", $"{Subnet}.{10 + index}");
        var outside = $"{_prefix}v{index}";
        var inside = $"{_prefix}n{index}";
        await IpAsync("netns", "add", host.Namespace);
        _hosts[name] = host;
        // The machine's DNS server is not reachable from a host: a resolver that answers "refused" at once, on the host's own
        // loopback, keeps lookups (the runtime makes some) from waiting for time-outs. ip netns exec mounts it over /etc/resolv.conf.
        var etc = Path.Combine("/etc/netns", host.Namespace);
        Directory.CreateDirectory(etc);
        await File.WriteAllTextAsync(Path.Combine(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
        await IpAsync("link", "add", outside, "type", "veth", "peer", "name", inside);
        await IpAsync("link", "set", outside, "master", _bridge);
        await IpAsync("link", "set", outside, "up");
        await IpAsync("link", "set", inside, "netns", host.Namespace);
        await IpAsync("-n", host.Namespace, "link", "set", "lo", "up");
        await IpAsync("-n", host.Namespace, "link", "set", inside, "name", "eth0");
        await IpAsync("-n", host.Namespace, "addr", "add", $"{host.Address}/24", "dev", "eth0");
        await IpAsync("-n", host.Namespace, "link", "set", "eth0", "up");
        await IpAsync("-n", host.Namespace, "route", "add", "default", "via", BridgeAddress);
    }

    /// <summary>A 10.231.x.0/24 that no interface of this namespace uses (several test runs may share the machine).</summary>
    private static string FreeSubnet()
    {
        var used = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address.ToString())
            .ToHashSet();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var subnet = $"10.231.{Random.Shared.Next(1, 255)}";
            if (!used.Any(a => a.StartsWith(subnet + ".", StringComparison.Ordinal)))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("no free 10.231.x.0/24 subnet");
    }

    private static async Task TryIpAsync(params string[] args)
    {
        try
        {
            await IpAsync(args);
        }
        catch (InvalidOperationException)
        {
            // Already gone (a namespace's veth goes with it).
        }
    }

    private static async Task IpAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }
    }
}
