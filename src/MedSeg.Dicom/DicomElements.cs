using System.Buffers.Binary;
using System.Text;

namespace MedSeg.Dicom;

/// <summary>
/// Builds GDCM data elements from .NET values: text of any VR padded to even length (UIDs with a NUL, others with a
/// space), little-endian binary values, and sequences of items. GDCM encodes them; this only fills them in.
/// </summary>
internal static class DicomElements
{
    /// <summary>Inserts (or replaces) a text element.</summary>
    public static void Text(gdcm.DataSet set, ushort group, ushort element, gdcm.VR.VRType vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr == gdcm.VR.VRType.UI ? (byte)0 : (byte)' ';
        }
        Bytes(set, group, element, vr, bytes);
    }

    /// <summary>Inserts an unsigned short (US) element.</summary>
    public static void UShort(gdcm.DataSet set, ushort group, ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        Bytes(set, group, element, gdcm.VR.VRType.US, bytes);
    }

    /// <summary>Inserts an unsigned long (UL) element with one or more values.</summary>
    public static void ULongs(gdcm.DataSet set, ushort group, ushort element, params uint[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        Bytes(set, group, element, gdcm.VR.VRType.UL, bytes);
    }

    /// <summary>Inserts an attribute tag (AT) element naming the tag (<paramref name="g"/>, <paramref name="e"/>).</summary>
    public static void AttributeTag(gdcm.DataSet set, ushort group, ushort element, ushort g, ushort e)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, g);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), e);
        Bytes(set, group, element, gdcm.VR.VRType.AT, bytes);
    }

    /// <summary>Inserts an element with raw bytes (even length).</summary>
    public static void Bytes(gdcm.DataSet set, ushort group, ushort element, gdcm.VR.VRType vr, byte[] bytes)
    {
        using var tag = new gdcm.Tag(group, element);
        var dataElement = new gdcm.DataElement(tag);
        dataElement.SetVR(new gdcm.VR(vr));
        dataElement.SetByteValue(bytes, new gdcm.VL((uint)bytes.Length));
        set.Replace(dataElement);
    }

    /// <summary>Inserts a sequence with one item per call of <paramref name="fill"/> (each fills the item's data set).</summary>
    public static void Sequence(gdcm.DataSet set, ushort group, ushort element, params Action<gdcm.DataSet>[] fill)
    {
        var sequence = gdcm.SequenceOfItems.New();
        sequence.SetLengthToUndefined();
        foreach (var f in fill)
        {
            var item = new gdcm.Item();
            item.SetVLToUndefined();
            f(item.GetNestedDataSet());
            sequence.AddItem(item);
        }
        using var tag = new gdcm.Tag(group, element);
        var dataElement = new gdcm.DataElement(tag);
        dataElement.SetVR(new gdcm.VR(gdcm.VR.VRType.SQ));
        dataElement.SetValue(sequence.__ref__());
        dataElement.SetVLToUndefined();
        set.Replace(dataElement);
    }

    /// <summary>A code sequence item: CodeValue, CodingSchemeDesignator, CodeMeaning.</summary>
    public static Action<gdcm.DataSet> Code(string value, string scheme, string meaning) => item =>
    {
        Text(item, 0x0008, 0x0100, gdcm.VR.VRType.SH, value);
        Text(item, 0x0008, 0x0102, gdcm.VR.VRType.SH, scheme);
        Text(item, 0x0008, 0x0104, gdcm.VR.VRType.LO, meaning);
    };
}
