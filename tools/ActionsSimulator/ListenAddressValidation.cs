using System.Net;
using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator;

/// <summary>
/// Stops the simulator at start when it would listen beyond loopback without <c>Simulator:ListenBeyondLoopback</c>: its control
/// API changes what every dispatch gets, and a simulator reachable from the network would let anyone do that.
/// </summary>
internal sealed class ListenAddressValidation(IConfiguration configuration) : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        if (options.ListenBeyondLoopback)
        {
            return ValidateOptionsResult.Success;
        }

        var beyond = Addresses().Where(a => !IsLocal(a)).ToList();
        return beyond.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"the simulator would listen beyond loopback ({string.Join(", ", beyond)}): use 127.0.0.1 or [::1] in --urls / ASPNETCORE_URLS, "
                + $"or set {SimulatorOptions.Section}:ListenBeyondLoopback=true on a network that only trusted hosts reach.");
    }

    /// <summary>Every address the server is told to listen on: URLs, or ports (which mean every interface), and Kestrel endpoints.</summary>
    private IEnumerable<string> Addresses()
    {
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        var ports = Split(configuration[WebHostDefaults.HttpPortsKey]).Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]))
            .Select(port => $"http://*:{port}");
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return (urls.Count > 0 ? urls : ports).Concat(endpoints);
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static bool IsLocal(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        return binding.IsNamedPipe || binding.IsUnixPipe || binding.Host == "localhost"
            || (IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
