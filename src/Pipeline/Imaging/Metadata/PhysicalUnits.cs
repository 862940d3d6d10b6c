namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>Length and time unit names as ImageJ and OME-XML write them, converted to µm and seconds.</summary>
internal static class PhysicalUnits
{
    /// <summary>Micrometres per <paramref name="unit"/>, or null when the unit is not a length (e.g. "pixel").</summary>
    public static double? MicrometresPer(string? unit)
    {
        var name = unit?.Trim();
        return name switch
        {
            "µm" or "μm" or "um" or "micron" or "microns" or "micrometer" or "micrometre" or @"\u00B5m" => 1,
            "nm" or "nanometer" or "nanometre" => 1e-3,
            "mm" or "millimeter" or "millimetre" => 1e3,
            "cm" or "centimeter" or "centimetre" => 1e4,
            "m" or "meter" or "metre" => 1e6,
            "pm" => 1e-6,
            "Å" or "angstrom" => 1e-4,
            _ => null,
        };
    }

    /// <summary>Seconds per <paramref name="unit"/>, or null when unknown.</summary>
    public static double? SecondsPer(string? unit)
    {
        var name = unit?.Trim();
        return name switch
        {
            "s" or "sec" or "second" or "seconds" => 1,
            "ms" or "msec" => 1e-3,
            "µs" or "μs" or "us" or @"\u00B5s" => 1e-6,
            "ns" => 1e-9,
            "min" or "minute" or "minutes" => 60,
            "h" or "hr" or "hour" or "hours" => 3600,
            _ => null,
        };
    }
}
