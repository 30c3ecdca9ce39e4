using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.Api;

/// <summary>
/// Why an inbound webhook was refused before anything changed: its HTTP status, a machine-readable <see cref="Reason"/>
/// (the problem's <c>reason</c>), a sentence for people (<c>detail</c>) and, for a body that does not read, the fields at fault.
/// </summary>
public sealed record WebhookRejection(int Status, string Reason, string Title, string Detail, IDictionary<string, string[]>? Errors = null)
{
    /// <summary>The body is over the endpoint's limit; <paramref name="limitOf"/> names what the limit is for, if worth saying.</summary>
    public static WebhookRejection BodyTooLarge(int maxBytes, string? limitOf = null) => new(
        StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large",
        $"The body is larger than {maxBytes / 1024} KiB{(limitOf is null ? "" : $", the most {limitOf} is accepted with")}.");

    /// <summary>The body did not arrive within <see cref="WebhookBody.ReadDeadline"/>; <paramref name="then"/> tells the sender what now.</summary>
    public static WebhookRejection BodyTooSlow(string? then = null) => new(
        StatusCodes.Status408RequestTimeout, "body-too-slow", "Body too slow",
        $"The body did not arrive within {WebhookBody.ReadDeadline.TotalSeconds:0} s{(then is null ? "" : $"; {then}")}.");

    public ProblemHttpResult ToProblem()
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = Reason };
        if (Errors is not null)
        {
            extensions["errors"] = Errors;
        }

        return TypedResults.Problem(statusCode: Status, title: Title, detail: Detail, extensions: extensions);
    }
}
