using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Provisioning.StandardWebhooks;
using StandardWebhooks;

namespace Provisioning.UnitTests.Callbacks;

/// <summary>
/// The product's Standard Webhooks implementation against the <c>StandardWebhooks</c> package: each accepts what the other
/// signs, a second key works (rotation), and the tolerance is read from the injected clock.
/// </summary>
public sealed class WebhookVerifierTests
{
    private const string Secret = "whsec_dmVyaWZpZXItdGVzdHMtc2lnbmluZy1rZXktMDAwMQ==";
    private const string Rotated = "whsec_dmVyaWZpZXItdGVzdHMtcm90YXRlZC1rZXktMDAwMDI=";
    private const string Id = "msg_2Vq6tJmPh0Hk1sK4";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"job_id\":\"evt_1\",\"attempt\":1,\"event\":\"claim\",\"run_id\":\"9001\"}");
    private static readonly DateTimeOffset SignedAt = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_SignedByThePackage_Valid()
    {
        var signature = new StandardWebhook(Secret).Sign(Id, SignedAt, Encoding.UTF8.GetString(Body));

        Assert.Equal(WebhookSignatureCheck.Valid, Verifier(new FakeTimeProvider(SignedAt), Secret).Verify(Id, Timestamp(SignedAt), signature, Body));
    }

    [Fact]
    public void Sign_CheckedByThePackage_Verifies()
    {
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign(WebhookSecret.TryDecode(Secret)!, Id, now.ToUnixTimeSeconds(), Body);
        var headers = new HeaderDictionary { ["webhook-id"] = Id, ["webhook-timestamp"] = Timestamp(now), ["webhook-signature"] = signature };

        new StandardWebhook(Secret).Verify(Encoding.UTF8.GetString(Body), headers);
    }

    [Theory]
    [InlineData(0, WebhookSignatureCheck.Valid)]
    [InlineData(300, WebhookSignatureCheck.Valid)]
    [InlineData(-300, WebhookSignatureCheck.Valid)]
    [InlineData(301, WebhookSignatureCheck.Expired)]
    [InlineData(-301, WebhookSignatureCheck.Expired)]
    public void Verify_ClockMoved_ExpiresBeyondFiveMinutesEitherWay(int seconds, WebhookSignatureCheck expected)
    {
        var clock = new FakeTimeProvider(SignedAt.AddHours(-1));
        var verifier = Verifier(clock, Secret);
        var signature = WebhookSignature.Sign(WebhookSecret.TryDecode(Secret)!, Id, SignedAt.ToUnixTimeSeconds(), Body);

        clock.SetUtcNow(SignedAt.AddSeconds(seconds));

        Assert.Equal(expected, verifier.Verify(Id, Timestamp(SignedAt), signature, Body));
    }

    [Fact]
    public void Verify_SignedWithTheSecondKeyOfARotation_Valid()
    {
        var signature = new StandardWebhook(Rotated).Sign(Id, SignedAt, Encoding.UTF8.GetString(Body));

        Assert.Equal(WebhookSignatureCheck.Valid, Verifier(new FakeTimeProvider(SignedAt), Secret, Rotated).Verify(Id, Timestamp(SignedAt), signature, Body));
    }

    [Fact]
    public void Verify_SignedWithAnotherKeyOrBodyChanged_Mismatch()
    {
        var verifier = Verifier(new FakeTimeProvider(SignedAt), Secret);
        var otherKey = new StandardWebhook(Rotated).Sign(Id, SignedAt, Encoding.UTF8.GetString(Body));
        var changed = Encoding.UTF8.GetBytes("{\"job_id\":\"evt_2\"}");

        Assert.Equal(WebhookSignatureCheck.Mismatch, verifier.Verify(Id, Timestamp(SignedAt), otherKey, Body));
        Assert.Equal(WebhookSignatureCheck.Mismatch,
            verifier.Verify(Id, Timestamp(SignedAt), WebhookSignature.Sign(WebhookSecret.TryDecode(Secret)!, Id, SignedAt.ToUnixTimeSeconds(), Body), changed));
    }

    [Theory]
    [InlineData(null, "1764763200", "v1,AAAA", WebhookSignatureCheck.Missing)]
    [InlineData(Id, "not-a-number", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", WebhookSignatureCheck.Malformed)]
    [InlineData(Id, "1764763200", "v2,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", WebhookSignatureCheck.Malformed)]
    public void Verify_HeadersIncompleteOrUnreadable_SaysWhich(string? id, string timestamp, string signature, WebhookSignatureCheck expected) =>
        Assert.Equal(expected, Verifier(new FakeTimeProvider(SignedAt), Secret).Verify(id, timestamp, signature, Body));

    [Theory]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData("whsec_not base64!", false)]
    [InlineData("8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918", true)]
    [InlineData("  " + Secret + "\n", true)]
    public void TryDecode_Secret_AcceptsBase64KeysOfSixteenBytesWithOrWithoutThePrefix(string secret, bool accepted) =>
        Assert.Equal(accepted, WebhookSecret.TryDecode(secret, out _, out _));

    private static WebhookVerifier Verifier(TimeProvider clock, params string[] secrets) =>
        new([.. secrets.Select(s => WebhookSecret.TryDecode(s)!)], clock);

    private static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
