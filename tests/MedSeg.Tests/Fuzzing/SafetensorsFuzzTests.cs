using System.Buffers.Binary;
using System.Text;
using CsCheck;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;

namespace MedSeg.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of safetensors weight files (a run folder's <c>model.safetensors</c>, pretrained weights): the JSON
/// header, its length prefix and the data (<see cref="ParserContract"/>).
/// </summary>
public sealed class SafetensorsFuzzTests : IDisposable
{
    private const int Iterations = 400;
    private const string Header = """{"conv.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"conv.bias":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},"__metadata__":{"format":"pt"}}""";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Safetensors_mutants_load_or_fail_clearly()
    {
        var data = Enumerable.Range(0, 28).Select(i => (byte)i).ToArray();
        var tokens = new[] { "{", "}", "[", "]", ",", ":", "\"", "-1", "0", "4294967296", "1099511627776", "18446744073709551615", "\"F64\"", "\"I64\"", "\"BOOL\"",
            "\"X\"", "\"shape\"", "\"dtype\"", "\"data_offsets\"", "[0,0]", "[28,0]", "[1099511627776,1099511627776]", "null" };
        var headerMutants = TextMutation.Mutants(Header, tokens).Select(h => File(h, data));
        var path = _folder.Combine("model.safetensors");
        ParserContract.Sample(Gen.OneOf(headerMutants, ByteMutation.Mutants(File(Header, data), 16)), bytes => BinaryFileFuzzTests.ReadsOrFails(path, bytes, () =>
        {
            foreach (var tensor in ModelWeights.ReadStateDict(path).Values)
            {
                tensor.Dispose();
            }
        }), Iterations, BinaryFileFuzzTests.Hex);
    }

    private static byte[] File(string header, byte[] data)
    {
        var text = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + text.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, text.Length);
        text.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + text.Length);
        return bytes;
    }
}
