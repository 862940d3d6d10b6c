using System.Globalization;
using System.Text;
using System.Xml;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// Builds the OME-XML (2016-06 schema) for a hyperstack written as one IFD per plane in T, C, Z order
/// (DimensionOrder XYZCT: Z fastest). IDs follow the Bio-Formats conventions (Image:0, Pixels:0, Channel:0:c).
/// The result is pure ASCII: other characters become numeric character references, because the TIFF
/// ImageDescription field is ASCII and readers disagree on how to decode 8-bit bytes there.
/// </summary>
internal static class OmeXmlWriter
{
    private const string Namespace = "http://www.openmicroscopy.org/Schemas/OME/2016-06";
    private const string SchemaInstance = "http://www.w3.org/2001/XMLSchema-instance";

    public static string Build(Hyperstack image, OmeTiffSampleType sampleType, IReadOnlyList<SampleScaling>? scalings, string imageName, Guid uuid)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false };
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteStartElement("OME", Namespace);
            xml.WriteAttributeString("xmlns", "xsi", null, SchemaInstance);
            xml.WriteAttributeString("xsi", "schemaLocation", SchemaInstance, $"{Namespace} {Namespace}/ome.xsd");
            xml.WriteAttributeString("UUID", $"urn:uuid:{uuid:D}");
            xml.WriteAttributeString("Creator", "LabelFree");

            xml.WriteStartElement("Image", Namespace);
            xml.WriteAttributeString("ID", "Image:0");
            xml.WriteAttributeString("Name", imageName);
            WritePixels(xml, image, sampleType, scalings);
            xml.WriteEndElement();

            if (scalings is not null)
            {
                WriteScalingAnnotations(xml, scalings);
            }

            xml.WriteEndElement();
        }

        return AsciiOnly("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + text);
    }

    private static void WritePixels(XmlWriter xml, Hyperstack image, OmeTiffSampleType sampleType, IReadOnlyList<SampleScaling>? scalings)
    {
        var shape = image.Shape;
        xml.WriteStartElement("Pixels", Namespace);
        xml.WriteAttributeString("ID", "Pixels:0");
        xml.WriteAttributeString("DimensionOrder", "XYZCT");
        xml.WriteAttributeString("Type", sampleType == OmeTiffSampleType.UInt16 ? "uint16" : "float");
        xml.WriteAttributeString("SignificantBits", sampleType == OmeTiffSampleType.UInt16 ? "16" : "32");
        xml.WriteAttributeString("BigEndian", "false");
        xml.WriteAttributeString("Interleaved", "false");
        xml.WriteAttributeString("SizeX", Invariant(shape.X));
        xml.WriteAttributeString("SizeY", Invariant(shape.Y));
        xml.WriteAttributeString("SizeZ", Invariant(shape.Z));
        xml.WriteAttributeString("SizeC", Invariant(shape.C));
        xml.WriteAttributeString("SizeT", Invariant(shape.T));
        if (image.VoxelSize is { } size)
        {
            WriteLength(xml, "PhysicalSizeX", size.X);
            WriteLength(xml, "PhysicalSizeY", size.Y);
            WriteLength(xml, "PhysicalSizeZ", size.Z);
        }

        if (image.FrameIntervalSeconds is { } interval && interval > 0)
        {
            xml.WriteAttributeString("TimeIncrement", interval.ToString("R", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("TimeIncrementUnit", "s");
        }

        for (var c = 0; c < shape.C; c++)
        {
            xml.WriteStartElement("Channel", Namespace);
            xml.WriteAttributeString("ID", Invariant($"Channel:0:{c}"));
            xml.WriteAttributeString("Name", image.ChannelNames[c]);
            xml.WriteAttributeString("SamplesPerPixel", "1");
            if (scalings is not null)
            {
                xml.WriteStartElement("AnnotationRef", Namespace);
                xml.WriteAttributeString("ID", Invariant($"Annotation:{c}"));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteStartElement("TiffData", Namespace);
        xml.WriteAttributeString("IFD", "0");
        xml.WriteAttributeString("PlaneCount", Invariant((long)shape.T * shape.C * shape.Z));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteScalingAnnotations(XmlWriter xml, IReadOnlyList<SampleScaling> scalings)
    {
        xml.WriteStartElement("StructuredAnnotations", Namespace);
        for (var c = 0; c < scalings.Count; c++)
        {
            xml.WriteStartElement("MapAnnotation", Namespace);
            xml.WriteAttributeString("ID", Invariant($"Annotation:{c}"));
            xml.WriteAttributeString("Namespace", SampleScaling.OmeNamespace);
            xml.WriteElementString("Description", Namespace, "Channel sample scaling: value = offset + scale * stored");
            xml.WriteStartElement("Value", Namespace);
            WritePair(xml, "offset", scalings[c].Offset);
            WritePair(xml, "scale", scalings[c].Scale);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WritePair(XmlWriter xml, string key, double value)
    {
        xml.WriteStartElement("M", Namespace);
        xml.WriteAttributeString("K", key);
        xml.WriteString(value.ToString("R", CultureInfo.InvariantCulture));
        xml.WriteEndElement();
    }

    private static void WriteLength(XmlWriter xml, string attribute, double micrometres)
    {
        xml.WriteAttributeString(attribute, micrometres.ToString("R", CultureInfo.InvariantCulture));
        xml.WriteAttributeString(attribute + "Unit", "µm");
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string AsciiOnly(string xml)
    {
        var ascii = new StringBuilder(xml.Length);
        for (var i = 0; i < xml.Length; i++)
        {
            var ch = xml[i];
            if (ch < 128)
            {
                ascii.Append(ch);
                continue;
            }

            var codePoint = char.IsHighSurrogate(ch) && i + 1 < xml.Length && char.IsLowSurrogate(xml[i + 1])
                ? char.ConvertToUtf32(ch, xml[++i])
                : ch;
            ascii.Append(CultureInfo.InvariantCulture, $"&#x{codePoint:X};");
        }

        return ascii.ToString();
    }
}
