namespace Provisioning.StripeSimulator.Api;

/// <summary>Stripe's error answers: <c>{"error": {"type", "message", "code"?, "param"?}}</c> with Stripe's statuses.</summary>
public static class StripeErrors
{
    public static IResult Error(int status, string type, string message, string? code = null, string? param = null) =>
        Results.Json(new { error = new { type, message, code, param } }, statusCode: status);

    public static IResult InvalidRequest(string param, string message) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request_error", message, "parameter_invalid", param);

    public static IResult Missing(string what, string id, string param) =>
        Error(StatusCodes.Status404NotFound, "invalid_request_error", $"No such {what}: '{id}'", "resource_missing", param);
}
