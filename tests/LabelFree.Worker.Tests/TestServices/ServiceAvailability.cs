using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.TestServices;

/// <summary>
/// Decides what a test does when a real service is missing: outside CI it skips and says why;
/// under CI=true (or LABELFREE_SERVICES_REQUIRED=1, which ./test.sh sets under CI) it fails.
/// </summary>
public static class ServiceAvailability
{
    public static bool Required =>
        TestEnvironment.IsCi || Environment.GetEnvironmentVariable("LABELFREE_SERVICES_REQUIRED") == "1";

    /// <summary>Skips the calling test (or fails it when services are required) because <paramref name="why"/>.</summary>
    public static void Missing(string why)
    {
        if (Required)
        {
            throw new InvalidOperationException($"A required test service is missing: {why}");
        }

        throw new SkipException(why);
    }
}
