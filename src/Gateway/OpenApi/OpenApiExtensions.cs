namespace Provisioning.Gateway.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>The path of the gateway's OpenAPI document.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>
    /// The OpenAPI description of every endpoint of the gateway (document <c>v1</c>), built from the endpoints' metadata:
    /// their names, tags, typed results and the problem-details (RFC 7807) answers they declare.
    /// </summary>
    public static IServiceCollection AddProvisioningOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Provisioning gateway";
                document.Info.Description =
                    "Stripe webhooks, workflow callbacks, the job API and operator actions. Errors are problem details "
                    + "(application/problem+json). See docs/api.md, docs/callbacks.md, docs/operators.md.";
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<ProblemResponses>();
        });

    /// <summary>Serves the document at <see cref="DocumentPath"/>, open to anyone: it describes the API, it holds no data.</summary>
    public static IEndpointRouteBuilder MapProvisioningOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        return app;
    }
}
