using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>
/// The service (one silo, the gateway, the Actions simulator) reconciling with the Stripe simulator, which delivers to the
/// gateway. The reminder's interval is an hour, so passes run only when a test asks; pages hold 3 events.
/// </summary>
public sealed class ReconciliationSystem : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public StripeSimulatorProcess Stripe { get; private set; } = null!;

    public TestSystem System { get; private set; } = null!;

    /// <summary>Settings for every silo on top of the Stripe simulator's.</summary>
    public Dictionary<string, string?> ExtraSiloSettings { get; } = new()
    {
        ["Stripe__ReconcileInterval"] = "01:00:00",
        ["Stripe__ReconcilePageSize"] = "3",
        ["Stripe__ReconcileRetryDelay"] = "00:00:01",
    };

    public int SiloCount { get; init; } = 1;

    public async Task InitializeAsync()
    {
        Stripe = await StripeSimulatorProcess.StartAsync();
        System = new TestSystem { SiloCount = SiloCount, WithSimulator = true };
        foreach (var (key, value) in Stripe.SiloSettings)
        {
            System.SiloSettings[key] = value;
        }

        foreach (var (key, value) in ExtraSiloSettings)
        {
            System.SiloSettings[key] = value;
        }

        await System.InitializeAsync();
        await Stripe.SetEndpointAsync(url: new Uri(System.GatewayUrl, "/api/webhooks/stripe").ToString());
    }

    /// <summary>A clean slate between tests: no events at Stripe, no checkpoint, no pending pass.</summary>
    public async Task ResetAsync()
    {
        await Stripe.ResetAsync();
        await Stripe.SetEndpointAsync(url: new Uri(System.GatewayUrl, "/api/webhooks/stripe").ToString());
        await using var connection = new NpgsqlConnection(System.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            UPDATE stripe_reconciliation SET checkpoint = NULL, pending_since = NULL, pending_until = NULL, pending_cursor = NULL,
                endpoint_status = NULL
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary><c>POST /api/stripe/reconcile</c> as an operator.</summary>
    public async Task<HttpResponseMessage> PostReconcileAsync(object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stripe/reconcile")
        {
            Content = JsonContent.Create(body ?? new { }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
        return await System.Http.SendAsync(request);
    }

    public async Task<ReconcilePass> ReconcileAsync(object? body = null)
    {
        using var response = await PostReconcileAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/stripe/reconcile answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<ReconcilePass>(text, Json)!;
    }

    public async Task<ReconcileStatus> StatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stripe/reconciliation");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
        using var response = await System.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ReconcileStatus>(Json))!;
    }

    /// <summary>Per event id: its inbox source, whether it created a job, and how many job rows it has.</summary>
    public async Task<Dictionary<string, (string Source, bool CreatesJob, string? Session, int Jobs)>> InboxAsync(IEnumerable<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(System.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT i.event_id, i.source, i.creates_job, i.checkout_session_id, (SELECT count(*) FROM jobs j WHERE j.job_id = i.event_id)::int
            FROM stripe_inbox i WHERE i.event_id = ANY($1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray() });
        var rows = new Dictionary<string, (string, bool, string?, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4));
        }

        return rows;
    }

    public async Task DisposeAsync()
    {
        if (System is not null)
        {
            await System.DisposeAsync();
        }

        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }
    }
}

public sealed record ReconcilePass(
    long PassId, string Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset Since, DateTimeOffset Until,
    int Listed, int AlreadyPresent, int Recovered, bool Resumed, string? EndpointStatus, string? Error, double? RetryAfterSeconds);

public sealed record ReconcileStatus(
    bool Enabled, string? OffReason, double IntervalSeconds, DateTimeOffset? Checkpoint, string? WebhookEndpointId,
    string? EndpointStatus, IReadOnlyList<ReconcilePass> Passes);
