using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Settings;
using Provisioning.Cli.Stripe;

namespace Provisioning.Cli.Commands;

/// <summary>
/// <c>trigger checkout</c>: sends the gateway a Stripe-signed <c>checkout.session.completed</c>, as Stripe does after a paid
/// checkout of the agent wizard, and prints the job id (the event id).
/// </summary>
public static class TriggerCommand
{
    private static readonly Option<string> User = new("--user", "-u")
    {
        Description = "The paying user's id (metadata.userId)",
        Required = true,
    };

    private static readonly Option<string> Agent = new("--agent", "-a")
    {
        Description = "The agent to provision (metadata.agentId)",
        Required = true,
    };

    private static readonly Option<string?> Region = new("--region", "-r")
    {
        Description = "The region (metadata.region); one of the silos' Jobs:Regions [default: none sent, the service uses us-east]",
    };

    private static readonly Option<string?> EventId = new("--event-id")
    {
        Description = "The Stripe event id, which becomes the job id [default: a new evt_... id]; the same id again is a duplicate delivery",
    };

    private static readonly Option<string?> WebhookSecret = new("--webhook-secret")
    {
        Description = "The Stripe webhook signing secret [default: $Stripe__WebhookSecrets__0, $STRIPE_WEBHOOK_SECRET, else .local/dev.env]",
        HelpName = "whsec_...",
    };

    private static readonly Option<string?> ViaStripeSimulator = new("--via-stripe-simulator")
    {
        Description = "Create the paid checkout at the Stripe simulator at this URL (./run.sh: http://127.0.0.1:5091), which " +
            "delivers it to the gateway signed as Stripe does, or drops it while its endpoint is down; a dropped one is " +
            "recovered by the next reconciliation pass",
        HelpName = "url",
    };

    public static Command Create()
    {
        var checkout = new Command("checkout", "Send a Stripe-signed checkout.session.completed (a paid checkout) and print the job id it created")
        {
            User, Agent, Region, EventId, WebhookSecret, ViaStripeSimulator,
        };
        checkout.SetCliAction(CheckoutAsync);
        return new Command("trigger", "Send the gateway a signed Stripe event, like 'stripe trigger'") { checkout };
    }

    private static async Task<int> CheckoutAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.Parse;
        var user = Required(parse.GetValue(User), "--user");
        var agent = Required(parse.GetValue(Agent), "--agent");
        var region = parse.GetValue(Region) is { } r && !string.IsNullOrWhiteSpace(r) ? r.Trim() : null;
        var eventId = parse.GetValue(EventId) is { } e && !string.IsNullOrWhiteSpace(e) ? e.Trim() : null;
        if (eventId is not null && eventId.Any(char.IsWhiteSpace))
        {
            throw CliException.Usage($"--event-id: '{eventId}' contains white space");
        }

        if (parse.GetValue(ViaStripeSimulator) is { } simulator && !string.IsNullOrWhiteSpace(simulator))
        {
            return await ViaSimulatorAsync(context, simulator.Trim(), user, agent, region, eventId, cancellationToken);
        }

        var secret = Secrets.StripeWebhookSecret(context.Settings, parse.GetValue(WebhookSecret));
        var now = DateTimeOffset.UtcNow;
        var checkout = CheckoutEvent.Create(user, agent, region, eventId, now);
        var signature = checkout.Sign(secret, now);

        var answer = await context.Client().SendAsync(Delivery(checkout, signature), cancellationToken);
        var what = $"{CheckoutEvent.Type} {checkout.EventId}";
        if (!answer.IsSuccess && answer.Member("reason") is { } reason && reason.StartsWith("signature-", StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Unauthorized, "unauthorized",
                $"{what}: the gateway refused the signature ({(int)answer.Status} {reason}): {answer.Explanation()} " +
                "Sign with one of the gateway's Stripe:WebhookSecrets (./run.sh writes it to .local/dev.env as Stripe__WebhookSecrets__0).",
                (int)answer.Status, answer.Body);
        }

        var receipt = GatewayClient.EnsureSuccess(answer, what).Json;
        var outcome = receipt.GetProperty("outcome").GetString();
        var jobId = receipt.TryGetProperty("jobId", out var id) ? id.GetString() : null;
        if (jobId is null)
        {
            throw new CliException(ExitCodes.GatewayError, "no-job",
                $"{what}: recorded, but no job was created: {outcome}", (int)answer.Status, receipt);
        }

        var duplicate = receipt.TryGetProperty("duplicate", out var d) && d.GetBoolean();
        context.Output.Document(JsonNode.Parse(receipt.GetRawText()));
        context.Output.Line(jobId);
        context.Output.Note(duplicate
            ? $"{what} was delivered before: job {jobId} is the one it created then"
            : $"{what} delivered to {context.GatewayUrl}: {outcome} for user {user}, agent {agent}, region {region ?? "(default)"}");
        if (!context.Output.Json)
        {
            context.Output.Note($"follow it: provisioning jobs watch {jobId}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Asks the Stripe simulator to create the checkout's event and deliver it; prints the job id it will have.</summary>
    private static async Task<int> ViaSimulatorAsync(
        CliContext context, string simulator, string user, string agent, string? region, string? eventId, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(simulator, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"--via-stripe-simulator: '{simulator}' is not an http(s) URL");
        }

        var http = context.HttpClient(CliHttp.SimulatorClientName);
        http.BaseAddress = baseUrl;
        var body = new JsonObject { ["userId"] = user, ["agentId"] = agent, ["region"] = region, ["eventId"] = eventId };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("/_simulator/checkouts",
                new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.GatewayError, "simulator-unreachable",
                $"the Stripe simulator at {baseUrl} is not reachable ({ex.Message}); ./run.sh starts it when no Stripe API key is set");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(ExitCodes.GatewayError, "simulator-refused",
                    $"the Stripe simulator answered {(int)response.StatusCode}: {text}");
            }

            var answer = JsonNode.Parse(text)!;
            var jobId = (string)answer["eventId"]!;
            context.Output.Document(answer);
            context.Output.Line(jobId);
            context.Output.Note((bool?)answer["delivered"] == true
                ? $"{CheckoutEvent.Type} {jobId} created at the Stripe simulator and delivered to the gateway"
                : $"{CheckoutEvent.Type} {jobId} created at the Stripe simulator, not delivered ({answer["deliveryOutcome"]}); " +
                  "the next reconciliation pass recovers it, or now: provisioning stripe reconcile");
            return ExitCodes.Ok;
        }
    }

    private static HttpRequestMessage Delivery(CheckoutEvent checkout, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/stripe")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(checkout.Json)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return request;
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw CliException.Usage($"{option} must not be empty") : value.Trim();
}
