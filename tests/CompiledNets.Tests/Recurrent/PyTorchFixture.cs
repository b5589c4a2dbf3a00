using System.Text.Json;

namespace CompiledNets.Tests.Recurrent;

/// <summary>
/// Fixtures/pytorch-recurrent.json, written once by Fixtures/make_pytorch_fixture.py with Debian's python3-torch (float64):
/// PyTorch's outputs and gradients for fixed weights and inputs.
/// </summary>
internal static class PyTorchFixture
{
    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recurrent", "Fixtures", "pytorch-recurrent.json"))));

    public static JsonElement Case(string name) =>
        s_document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static IEnumerable<string> CaseNames() =>
        s_document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    /// <summary>A tensor's values (row-major, as PyTorch stores it).</summary>
    public static double[] Values(JsonElement tensor) => tensor.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Shape(JsonElement tensor) => tensor.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static float[] Floats(JsonElement tensor) => Values(tensor).Select(v => (float)v).ToArray();
}
