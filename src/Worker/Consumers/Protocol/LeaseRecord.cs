using System.Text.Json;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// The content of a stack's lease.json: who holds it, and how many attempts before this one died holding it.
/// That count travels from lease to lease, so a stack that kills every worker it reaches is recognised
/// (<see cref="PoisonStackException"/>) whatever the broker counts. Written like every record kept in storage
/// (<see cref="RecordJson"/>): camelCase names (attempt, host, takenAt, abandonedAttempts), the names leases always had.
/// </summary>
public sealed record LeaseRecord(string Attempt, string Host, DateTimeOffset TakenAt, int AbandonedAttempts)
{
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, RecordJson.Options);

    /// <summary>The record, or null for content this version cannot read (then no abandonment is known).</summary>
    public static LeaseRecord? TryParse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<LeaseRecord>(json, RecordJson.Options) is { Attempt: not null, Host: not null } record
                && record.AbandonedAttempts >= 0 ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
