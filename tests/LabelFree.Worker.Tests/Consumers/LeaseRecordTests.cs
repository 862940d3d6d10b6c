using System.Text;
using System.Text.Json;
using LabelFree.Worker.Consumers.Protocol;

namespace LabelFree.Worker.Tests.Consumers;

/// <summary>lease.json: leases written by earlier versions (compact, own attributes) must still be read.</summary>
public class LeaseRecordTests
{
    [Fact]
    public void A_lease_written_by_an_earlier_version_still_parses()
    {
        var stored = Encoding.UTF8.GetBytes(
            """{"attempt":"attempt-x","host":"node-7","takenAt":"2026-11-30T10:15:00+00:00","abandonedAttempts":2}""");

        var lease = LeaseRecord.TryParse(stored);

        Assert.Equal(new LeaseRecord("attempt-x", "node-7", new DateTimeOffset(2026, 11, 30, 10, 15, 0, TimeSpan.Zero), 2), lease);
    }

    [Fact]
    public void A_lease_keeps_its_camel_case_names_and_reads_back_equal()
    {
        var lease = new LeaseRecord("attempt-y", "node-8", new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), AbandonedAttempts: 1);

        var bytes = lease.ToJsonBytes();

        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(["attempt", "host", "takenAt", "abandonedAttempts"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(lease, LeaseRecord.TryParse(bytes));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"attempt":"a","host":"h","takenAt":"2026-11-30T10:15:00+00:00","abandonedAttempts":-1}""")]
    [InlineData("""{"host":"h","takenAt":"2026-11-30T10:15:00+00:00","abandonedAttempts":0}""")]
    public void Unreadable_content_is_no_lease(string content)
    {
        Assert.Null(LeaseRecord.TryParse(Encoding.UTF8.GetBytes(content)));
    }
}
