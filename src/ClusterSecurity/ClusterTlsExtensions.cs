using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Provisioning.ClusterSecurity;

public static class ClusterTlsExtensions
{
    /// <summary>
    /// Protects this silo's Orleans ports (silo-to-silo in both directions, and the gateway port clients use) as
    /// <c>Orleans:Tls</c> says (<see cref="ClusterTlsOptions"/>): mutual TLS by default, or plain TCP in
    /// <c>LoopbackPlaintext</c> mode, which is refused at start unless <c>Orleans:AdvertisedIPAddress</c> is a loopback address.
    /// </summary>
    public static ISiloBuilder UseProvisioningTls(this ISiloBuilder silo)
    {
        silo.Services.AddClusterTlsOptions(configuration =>
            IPAddress.TryParse(configuration["Orleans:AdvertisedIPAddress"] ?? "127.0.0.1", out var address) ? address : IPAddress.None);
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<IConfiguration>((connections, configuration) =>
        {
            if (UsableMutualSettings(configuration) is not { } settings)
            {
                return;
            }

            var tls = CreateTlsOptions(settings);
            connections.ConfigureSiloInboundConnection(c => c.UseServerTls(tls));
            connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(tls));
            connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(tls));
        });
        return silo;
    }

    /// <summary>The client side of <see cref="UseProvisioningTls(ISiloBuilder)"/>: how this client's connections to the silos are protected.</summary>
    public static IClientBuilder UseProvisioningTls(this IClientBuilder client)
    {
        client.Services.AddClusterTlsOptions(_ => null);
        client.Services.AddOptions<ClientConnectionOptions>().Configure<IConfiguration>((connections, configuration) =>
        {
            if (UsableMutualSettings(configuration) is { } settings)
            {
                var tls = CreateTlsOptions(settings);
                connections.ConfigureConnection(c => c.UseClientTls(tls));
            }
        });
        return client;
    }

    /// <summary>
    /// The settings when they ask for mutual TLS and are complete; null otherwise. Invalid settings are reported by the
    /// start-up validation together with every other configuration error, so they are not acted on here.
    /// </summary>
    private static ClusterTlsOptions? UsableMutualSettings(IConfiguration configuration)
    {
        var settings = configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        return settings.Mode == ClusterTlsMode.Mutual && ClusterTlsOptionsValidation.Validate(settings, null).Count == 0 ? settings : null;
    }

    private static void AddClusterTlsOptions(this IServiceCollection services, Func<IConfiguration, IPAddress?> advertisedAddress)
    {
        services.AddSingleton<IValidateOptions<ClusterTlsOptions>>(sp =>
            new ClusterTlsOptionsValidation(advertisedAddress(sp.GetRequiredService<IConfiguration>())));
        services.AddOptions<ClusterTlsOptions>().BindConfiguration(ClusterTlsOptions.Section).ValidateOnStart();
    }

    /// <summary>The TLS settings; files that are missing or unreadable stop the host with a message naming the key and path.</summary>
    private static TlsOptions CreateTlsOptions(ClusterTlsOptions settings)
    {
        try
        {
            return new TlsOptions
            {
                LocalCertificate = ClusterCertificates.LoadLocal(settings),
                RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
                ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
                RemoteCertificateValidation = ClusterCertificates.PeerCheck(settings).Validate,
                HandshakeTimeout = settings.HandshakeTimeout,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException(
                $"Orleans:Tls: cannot load the certificates (CertificatePath '{settings.CertificatePath}', KeyPath '{settings.KeyPath}', " +
                $"AuthorityPath '{settings.AuthorityPath}'): {ex.Message}", ex);
        }
    }
}
