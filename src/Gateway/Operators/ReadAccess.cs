using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Whether the read-only endpoints need an operator key: <c>Gateway:RequireKeyForReads</c> when set, else true unless every
/// address the server listens on is a loopback address (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>). Decided once the
/// server listens, from the addresses it actually bound, and logged.
/// </summary>
public sealed class ReadAccess(IOptions<OperatorOptions> options, IServer server, ILogger<ReadAccess> logger)
{
    private readonly Lazy<bool> _requireKey = new(() => Decide(options.Value, server, logger));

    public bool RequireKey => _requireKey.Value;

    /// <summary>True for an address like <c>http://127.0.0.1:5080</c> or <c>http://localhost:5000</c>; false for <c>http://[::]:8080</c>, <c>http://+:80</c>.</summary>
    public static bool IsLoopback(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.IsLoopback;

    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "Via"];

    /// <summary>
    /// Whether a request to a loopback-only gateway really comes from this machine: it names a local host
    /// (<c>localhost</c> or a loopback address), so a web page whose name was rebound to 127.0.0.1 is not local, and it
    /// carries no <c>Forwarded</c>, <c>X-Forwarded-For</c>, <c>X-Forwarded-Host</c> or <c>Via</c> header, so a request relayed by
    /// a proxy or tunnel on this machine is not local either.
    /// </summary>
    public static bool IsLocalRequest(HttpRequest request)
    {
        var host = request.Host.Host;
        var localName = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
        var headers = request.Headers;
        return localName
            && !ForwardingHeaders.Any(headers.ContainsKey)
            && request.HttpContext.Connection.RemoteIpAddress is { } remote && System.Net.IPAddress.IsLoopback(remote);
    }

    private static bool Decide(OperatorOptions options, IServer server, ILogger logger)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var listening = addresses.Length == 0 ? "unknown addresses" : string.Join(", ", addresses);
        var requireKey = options.RequireKeyForReads ?? !(addresses.Length > 0 && addresses.All(IsLoopback));
        var source = options.RequireKeyForReads is null ? "not set: decided by the addresses" : "set";
        OperatorLog.ReadAccess(logger, requireKey ? "need an operator key" : "are open (loopback only)", source, listening);
        return requireKey;
    }
}
