using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// The parts of an OME-XML document that define the first image (series 0) of an OME-TIFF: sizes, dimension order,
/// physical sizes in µm, time increment in seconds, channels, TiffData mapping, and our sample-scaling annotations.
/// Elements are matched by local name so every schema version (2008 to 2016-06) reads the same way.
/// </summary>
internal sealed record OmeXmlMetadata
{
    public required string? Uuid { get; init; }

    public required int ImageCount { get; init; }

    public required long? SizeX { get; init; }

    public required long? SizeY { get; init; }

    public required long? SizeZ { get; init; }

    public required long? SizeC { get; init; }

    public required long? SizeT { get; init; }

    /// <summary>E.g. "XYZCT": X fastest, then Y, then Z, C and T.</summary>
    public required string DimensionOrder { get; init; }

    /// <summary>The Pixels Type attribute ("uint16", "float", ...), as written.</summary>
    public required string? PixelType { get; init; }

    public required double? PhysicalSizeX { get; init; }

    public required double? PhysicalSizeY { get; init; }

    public required double? PhysicalSizeZ { get; init; }

    public required double? TimeIncrementSeconds { get; init; }

    public required IReadOnlyList<OmeChannel> Channels { get; init; }

    public required IReadOnlyList<OmeTiffData> TiffData { get; init; }

    /// <summary>Sample scalings found in MapAnnotations of our namespace, by annotation ID.</summary>
    public required IReadOnlyDictionary<string, SampleScaling> Scalings { get; init; }

    /// <summary>True when an ImageDescription carries an OME-XML document.</summary>
    public static bool LooksLikeOme(string? description) =>
        description is not null && description.TrimStart().StartsWith('<') && description.Contains("<OME", StringComparison.Ordinal);

    public static OmeXmlMetadata Parse(string xml, string source)
    {
        XDocument document;
        try
        {
            document = Load(xml);
        }
        catch (XmlException ex)
        {
            throw new ImageFileException(source, ImageProblem.Corrupt, $"the OME-XML in the first page is not well-formed XML ({ex.Message}).", ex);
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "OME")
        {
            throw new ImageFileException(source, ImageProblem.Corrupt, "the first page's description looks like OME-XML but its root element is not OME.");
        }

        var images = Children(root, "Image").ToList();
        var pixels = images.Count == 0 ? null : Children(images[0], "Pixels").FirstOrDefault();
        if (pixels is null)
        {
            throw new ImageFileException(source, ImageProblem.Corrupt, "the OME-XML has no Image with a Pixels element.");
        }

        var reader = new AttributeReader(source);
        return new OmeXmlMetadata
        {
            Uuid = (string?)root.Attribute("UUID"),
            ImageCount = images.Count,
            SizeX = reader.Integer(pixels, "SizeX"),
            SizeY = reader.Integer(pixels, "SizeY"),
            SizeZ = reader.Integer(pixels, "SizeZ"),
            SizeC = reader.Integer(pixels, "SizeC"),
            SizeT = reader.Integer(pixels, "SizeT"),
            DimensionOrder = ((string?)pixels.Attribute("DimensionOrder") ?? "XYZCT").Trim().ToUpperInvariant(),
            PixelType = (string?)pixels.Attribute("Type"),
            PhysicalSizeX = Length(pixels, "PhysicalSizeX"),
            PhysicalSizeY = Length(pixels, "PhysicalSizeY"),
            PhysicalSizeZ = Length(pixels, "PhysicalSizeZ"),
            TimeIncrementSeconds = Time(pixels, "TimeIncrement"),
            Channels = Children(pixels, "Channel").Select(c => new OmeChannel(
                (string?)c.Attribute("Name"),
                reader.Integer(c, "SamplesPerPixel"),
                Children(c, "AnnotationRef").Select(a => (string?)a.Attribute("ID")).OfType<string>().ToArray())).ToArray(),
            TiffData = Children(pixels, "TiffData").Select(t => new OmeTiffData(
                reader.Integer(t, "IFD"),
                reader.Integer(t, "FirstZ") ?? 0,
                reader.Integer(t, "FirstC") ?? 0,
                reader.Integer(t, "FirstT") ?? 0,
                reader.Integer(t, "PlaneCount"),
                Children(t, "UUID").Select(u => u.Value.Trim()).FirstOrDefault())).ToArray(),
            Scalings = ScalingAnnotations(root),
        };
    }

    // XDocument.Parse allows a DTD and expands its entities (a "billion laughs" description grows to millions of
    // characters before any limit stops it). OME-XML never needs a DTD, so one is refused outright, and with no
    // resolver nothing outside the description is ever fetched.
    private static XDocument Load(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = true,
        };
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, settings);
        return XDocument.Load(reader);
    }

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    // Sizes are optional and default to µm (s for time); a unit we cannot convert (e.g. "pixel") drops the size.
    private static double? Length(XElement pixels, string attribute)
    {
        var value = PositiveNumber(pixels, attribute);
        var unit = (string?)pixels.Attribute(attribute + "Unit") ?? "µm";
        return value * PhysicalUnits.MicrometresPer(unit);
    }

    private static double? Time(XElement pixels, string attribute)
    {
        var value = PositiveNumber(pixels, attribute);
        var unit = (string?)pixels.Attribute(attribute + "Unit") ?? "s";
        return value * PhysicalUnits.SecondsPer(unit);
    }

    private static double? PositiveNumber(XElement element, string attribute) =>
        double.TryParse((string?)element.Attribute(attribute), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && value > 0
            ? value
            : null;

    private static Dictionary<string, SampleScaling> ScalingAnnotations(XElement root)
    {
        var scalings = new Dictionary<string, SampleScaling>(StringComparer.Ordinal);
        var annotations = Children(root, "StructuredAnnotations").SelectMany(s => Children(s, "MapAnnotation"));
        foreach (var annotation in annotations.Where(a => (string?)a.Attribute("Namespace") == SampleScaling.OmeNamespace))
        {
            var pairs = Children(annotation, "Value").SelectMany(v => Children(v, "M"))
                .Where(m => m.Attribute("K") is not null)
                .GroupBy(m => (string)m.Attribute("K")!)
                .ToDictionary(g => g.Key, g => g.First().Value.Trim(), StringComparer.Ordinal);
            if ((string?)annotation.Attribute("ID") is { } id
                && pairs.TryGetValue("offset", out var offsetText)
                && pairs.TryGetValue("scale", out var scaleText)
                && double.TryParse(offsetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var offset)
                && double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale)
                && new SampleScaling(offset, scale) is { IsValid: true } scaling)
            {
                scalings[id] = scaling;
            }
        }

        return scalings;
    }

    private sealed class AttributeReader(string source)
    {
        public long? Integer(XElement element, string attribute)
        {
            var text = (string?)element.Attribute(attribute);
            if (text is null)
            {
                return null;
            }

            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new ImageFileException(source, ImageProblem.Corrupt,
                    $"OME-XML {element.Name.LocalName} attribute {attribute}=\"{text}\" is not a non-negative integer.");
        }
    }
}
