using System.Reflection;
using TorchSharp;

namespace LabelFree.Pipeline.Models;

/// <summary>The software that wrote a bundle, for reproducing or explaining a result later.</summary>
public sealed record LibraryVersions(string TorchSharp, string LibTorch, string LabelFree)
{
    public static LibraryVersions Current { get; } = new(
        TorchSharp: VersionOf(typeof(torch).Assembly),
        LibTorch: torch.__version__,
        LabelFree: VersionOf(typeof(LibraryVersions).Assembly));

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
