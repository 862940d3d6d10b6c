using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// The content of a stack's lease.json: who holds it, and how many attempts before this one died holding it.
/// That count travels from lease to lease, so a stack that kills every worker it reaches is recognised
/// (<see cref="PoisonStackException"/>) whatever the broker counts.
/// </summary>
public sealed record LeaseRecord(
    [property: JsonPropertyName("attempt")] string Attempt,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("takenAt")] DateTimeOffset TakenAt,
    [property: JsonPropertyName("abandonedAttempts")] int AbandonedAttempts)
{
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>The record, or null for content this version cannot read (then no abandonment is known).</summary>
    public static LeaseRecord? TryParse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<LeaseRecord>(json) is { Attempt: not null, Host: not null } record
                && record.AbandonedAttempts >= 0 ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
