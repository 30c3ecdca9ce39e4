using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>Without a Stripe API key reconciliation is off: the service is ready, and the API and the silo's log say it is off.</summary>
public sealed class ReconciliationOffTests : IAsyncLifetime
{
    private readonly TestSystem _system = new() { SiloCount = 1 };

    public Task InitializeAsync() => _system.InitializeAsync();

    public Task DisposeAsync() => _system.DisposeAsync();

    [Fact]
    public async Task NoApiKey_ReconciliationOff_ReadyAndSaysSo()
    {
        Assert.Equal(HttpStatusCode.OK, (await _system.Http.GetAsync("/readyz")).StatusCode);

        var status = await _system.Http.GetFromJsonAsync<ReconcileStatus>("/api/stripe/reconciliation", ReconciliationSystem.Json);
        Assert.False(status!.Enabled);
        Assert.Contains("Stripe:ApiKey", status.OffReason);
        Assert.Empty(status.Passes);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stripe/reconcile") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
        using var response = await _system.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("reconciliation-off", await response.Content.ReadAsStringAsync());

        await _system.Silos[0].WaitForOutputAsync("Stripe reconciliation is off", TimeSpan.FromSeconds(10));
    }
}
