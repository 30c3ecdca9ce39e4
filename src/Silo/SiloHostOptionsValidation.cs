using System.Net;
using Microsoft.Extensions.Options;

namespace Provisioning.Silo;

/// <summary>Checks the silo's settings at start; every failure names the configuration key to fix.</summary>
internal sealed class SiloHostOptionsValidation : IValidateOptions<SiloHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("Orleans:ClusterId is empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("Orleans:ServiceId is empty.");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"Orleans:SiloPort must be a port number (1-65535), not {options.SiloPort}.");
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            failures.Add($"Orleans:GatewayPort must be a port number (1-65535), not {options.GatewayPort}.");
        }

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add("Orleans:SiloPort and Orleans:GatewayPort must differ.");
        }

        if (!IPAddress.TryParse(options.AdvertisedIPAddress, out _))
        {
            failures.Add($"Orleans:AdvertisedIPAddress must be an IP address, not '{options.AdvertisedIPAddress}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
