namespace Provisioning.Bench;

/// <summary>
/// What share of deliveries are redeliveries of events already acknowledged (Stripe delivers some events more than once),
/// and what share are second Event objects for a checkout session already acknowledged (Stripe sometimes generates two
/// events for one object); the rest are first events of new checkout sessions.
/// </summary>
public sealed record TrafficMix(double Redeliveries, double SecondEvents);
