extern alias gateway;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Tests.Infrastructure;
using GatewayProgram = gateway::Program;

namespace Provisioning.Tests.OpenApi;

/// <summary>A route the gateway maps: its HTTP method, its path as OpenAPI writes it, and whether it is left out of the description on purpose.</summary>
public sealed record MappedRoute(string Method, string Path, bool ExcludedFromDescription)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// The routes the real gateway maps, read from its <see cref="EndpointDataSource"/>: the gateway's own Program is built
/// in this process (WebApplicationFactory) with the settings of the test system's gateway process, so the list comes from
/// the app itself and no route is written down in the tests.
/// </summary>
public static class GatewayEndpoints
{
    public static async Task<IReadOnlyList<MappedRoute>> ListAsync(TestSystem system)
    {
        await using var factory = new WebApplicationFactory<GatewayProgram>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("ConnectionStrings:Provisioning", system.ConnectionString);
            web.UseSetting("Orleans:ClusterId", system.Cluster.ClusterId);
            web.UseSetting("Orleans:ServiceId", ProcessCluster.ServiceId);
            web.UseSetting("Stripe:WebhookSecrets:0", TestSecrets.StripeWebhookSecret);
            web.UseSetting("Callbacks:Secrets:0", TestSecrets.CallbackSecret);
            web.UseSetting("GitHub:WebhookSecret", TestSecrets.GitHubWebhookSecret);
            web.UseSetting($"Gateway:OperatorKeys:{TestSecrets.OperatorName}", TestSecrets.OperatorKey);
            web.UseSetting("Gateway:RequireKeyForReads", "true");
            foreach (var (key, value) in TestCertificates.GatewaySettings().AsConfiguration())
            {
                web.UseSetting(key, value);
            }
        });
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        return endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(method => new MappedRoute(
                method.ToUpperInvariant(),
                OpenApiPath(e.RoutePattern.RawText ?? ""),
                e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true)))
            .Distinct()
            .ToList();
    }

    /// <summary><c>/api/jobs/{jobId:int?}/</c> as OpenAPI writes it: <c>/api/jobs/{jobId}</c>.</summary>
    public static string OpenApiPath(string route)
    {
        var path = "/" + route.Trim('/');
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{\*{0,2}([^}:=?]+)[^}]*\}", "{$1}");
    }
}
