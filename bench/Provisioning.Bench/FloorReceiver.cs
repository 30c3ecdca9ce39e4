using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stripe;

namespace Provisioning.Bench;

/// <summary>
/// The cheapest receiver a Stripe webhook can have on this machine: an ASP.NET Core process that checks the delivery's
/// signature with Stripe.net, reads the event's id and inserts the event (<c>INSERT ... ON CONFLICT DO NOTHING</c>, one
/// transaction per delivery) before answering 200. It does nothing else: no job, no routing, no dispatch. Whatever a
/// webhook costs beyond it is the service's own work; its rate is the most a receiver that writes each webhook in a
/// transaction of its own before it answers takes here.
/// </summary>
public static class FloorReceiver
{
    public const string Table = "bench_floor_events";

    /// <summary>Runs the receiver in this process until it is killed (<c>--serve-floor URL</c>).</summary>
    public static async Task<int> ServeAsync(string url, string connectionString, string secret)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The service's own pool defaults (README, ConnectionStrings:Provisioning): prepared statements, no reset on return.
            MaxAutoPrepare = 32,
            NoResetOnClose = true,
            MaxPoolSize = 16,
        };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await EventTable.CreateAsync(dataSource, Table);

        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.WebHost.UseUrls(url);
        var app = web.Build();
        app.MapPost("/api/webhooks/stripe", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var payload = await reader.ReadToEndAsync();
            try
            {
                EventUtility.ValidateSignature(
                    payload, request.Headers["Stripe-Signature"].ToString(), secret, 300, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            }
            catch (StripeException)
            {
                return Results.BadRequest();
            }

            using var json = JsonDocument.Parse(payload);
            if (!json.RootElement.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return Results.BadRequest();
            }

            await using var insert = dataSource.CreateCommand(EventTable.Insert(Table));
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.GetString() });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
            await insert.ExecuteNonQueryAsync();
            return Results.Ok();
        });
        await app.StartAsync();
        Console.WriteLine("listening");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Starts the receiver as its own process (as the gateway is) and waits until it listens.</summary>
    public static async Task<Process> StartAsync(string url, string connectionString, string secret)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (!Environment.ProcessPath!.EndsWith("Provisioning.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(FloorReceiver).Assembly.Location);
        }

        foreach (var argument in new[] { "--serve-floor", url, "--connection-string", connectionString, "--webhook-secret", secret })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the floor receiver did not start");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line == "listening")
            {
                return process;
            }
        }

        process.Kill();
        throw new InvalidOperationException("the floor receiver ended before it listened");
    }

    public static async Task DropAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await EventTable.DropAsync(dataSource, Table);
    }
}
