using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Gateway.Callbacks;
using Provisioning.Gateway.GitHubEvents;
using Provisioning.Gateway.StripeWebhooks;

namespace Provisioning.Gateway.Api;

/// <summary>
/// The inbound webhooks under <c>/api/webhooks</c>. Each handler reads the raw body, verifies its sender's signature and
/// hands the event to a grain; they are outside <c>/api</c>'s operator access because the signature is their authentication.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/stripe", ReceiveStripeEventAsync).WithName("StripeWebhook");
        webhooks.MapPost("/github", ReceiveWorkflowCallbackAsync).WithName("WorkflowCallback");
        webhooks.MapPost("/github/events", ReceiveGitHubEventAsync).WithName("GitHubEvents");
        return app;
    }

    /// <summary><c>POST /api/webhooks/stripe</c>: Stripe's event deliveries. See docs/webhooks-stripe.md.</summary>
    private static Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> ReceiveStripeEventAsync(
        HttpRequest request, StripeWebhookHandler handler, CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);

    /// <summary><c>POST /api/webhooks/github</c>: the provisioning workflow's signed callbacks. See docs/callbacks.md.</summary>
    private static Task<Results<Ok<CallbackReceipt>, ProblemHttpResult>> ReceiveWorkflowCallbackAsync(
        HttpRequest request, CallbackHandler handler, CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);

    /// <summary><c>POST /api/webhooks/github/events</c>: GitHub's own <c>workflow_run</c> webhooks. See docs/callbacks.md.</summary>
    private static Task<Results<Ok<GitHubEventReceipt>, ProblemHttpResult>> ReceiveGitHubEventAsync(
        HttpRequest request, GitHubEventsHandler handler, CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
