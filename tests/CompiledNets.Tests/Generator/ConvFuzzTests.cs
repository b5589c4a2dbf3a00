using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator;

/// <summary>
/// Random convolutional declarations (extreme shapes, kernels, strides, paddings, dilations, layer orders) end in
/// diagnostics or in code that compiles, never in an exception or an internal error.
/// </summary>
public class ConvFuzzTests
{
    private static readonly string[] s_small = { "1", "2", "3", "5", "7" };
    private static readonly string[] s_any = { "0", "1", "2", "3", "-1", "-5", "17", "100000", "int.MaxValue", "int.MinValue" };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomConvolutionalNetworksNeverBreakTheGenerator(int seed)
    {
        var random = new Random(seed);
        int generated = 0, diagnosed = 0;
        for (int i = 0; i < 30; i++)
        {
            var source = new StringBuilder("using CompiledNets;\nnamespace Fuzz;\n");
            for (int n = 0; n < 3; n++) source.Append(RandomNetwork(random, $"Net{n}"));
            string text = source.ToString();

            GeneratorOutcome outcome = GeneratorHarness.Run(text);
            generated += outcome.Sources.Count;
            diagnosed += outcome.GeneratorDiagnostics.Length;
            Assert.True(outcome.Exceptions.IsEmpty, $"generator threw on:\n{text}\n{string.Join("\n", outcome.Exceptions)}");
            Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CN0018");
            Diagnostic[] generatedErrors = outcome.Compilation.SyntaxTrees
                .Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                .SelectMany(t => outcome.Compilation.GetSemanticModel(t).GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToArray();
            Assert.True(generatedErrors.Length == 0, $"generated code does not compile for:\n{text}\n{string.Join("\n", generatedErrors.Select(e => e.ToString()))}");
        }
        Assert.True(generated >= 3, $"only {generated} networks generated");
        Assert.True(diagnosed > 20, $"only {diagnosed} diagnostics");
    }

    private static string RandomNetwork(Random random, string name)
    {
        bool plausible = random.Next(2) == 0;
        string Number() => plausible ? Pick(random, s_small) : Pick(random, s_any);
        var text = new StringBuilder(random.Next(8) switch
        {
            0 => "[Network(Input = " + Number() + ")]",
            1 => "[Network(Shape = new[] { " + Number() + ", " + Number() + " })]",
            2 => "[Network(Input = 12, Shape = new[] { 1, 3, 4 })]",
            _ => "[Network(Shape = new[] { " + Number() + ", " + (plausible ? "9" : Number()) + ", " + (plausible ? "8" : Number()) + " })]",
        });
        int layers = 1 + random.Next(6);
        for (int i = 0; i < layers; i++)
        {
            text.Append(random.Next(10) switch
            {
                0 or 1 or 2 => "[Conv2D(" + Number() + ", " + Number() + Pick(random, new[] { "", ", Activation.Relu", ", Activation.Softmax", ", (Activation)99" })
                    + Pick(random, new[] { "", ", Stride = " + Number(), ", Dilation = " + Number(), ", Padding = " + Number(), ", Mode = PaddingMode.Same",
                        ", PaddingTop = " + Number(), ", PaddingRight = " + Number() + ", Bias = false" }) + ")]",
                3 => "[MaxPool2D(" + Number() + (random.Next(2) == 0 ? ", Stride = " + Number() : "") + ")]",
                4 => "[AvgPool2D(" + Number() + ")]",
                5 => "[Flatten]",
                6 => "[GlobalAvgPool2D]",
                7 => Pick(random, new[] { "[BatchNorm]", "[BatchNorm(Momentum = 2)]", "[Dropout(0.25)]", "[PositionBias]", "[PositionBias(Activation.Softmax)]" }),
                _ => "[Dense(" + Number() + Pick(random, new[] { "", ", Activation.Tanh", ", Activation.Softmax" }) + ")]",
            });
        }
        if (random.Next(2) == 0) text.Append("[Flatten][Output(" + Number() + ")]");
        return text + "\npublic partial class " + name + ";\n";
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
