using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;

namespace PolicyGate.Core.Tests.Audit;

public sealed class JsonCanonicalizerTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(JsonNode.Parse(json)));

    [Fact]
    public void Rfc8785_Section_3_2_2_Example()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";
        Assert.Equal(expected, Canonical(input));
    }

    [Fact]
    public void Rfc8785_Section_3_2_2_Example_Utf8Bytes()
    {
        byte[] bytes = JsonCanonicalizer.Canonicalize(JsonNode.Parse("""{"string":"\u20ac$\u000F"}"""));
        Assert.Equal("7b22737472696e67223a22e282ac245c7530303066227d", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Rfc8785_Section_3_2_3_SortsByUtf16CodeUnits()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        JsonObject sorted = JsonNode.Parse(Canonical(input))!.AsObject();
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            sorted.Select(p => p.Value!.GetValue<string>()).ToArray());
    }

    [Theory]
    // RFC 8785 Appendix B (IEEE 754 bits → ES6 text).
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Rfc8785_AppendixB_Numbers(string ieeeHex, string expected)
    {
        double value = BitConverter.Int64BitsToDouble(Convert.ToInt64(ieeeHex, 16));
        Assert.Equal(expected, EcmaNumberFormatter.Format(value));
        Assert.Equal("[" + expected + "]", Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(new JsonArray(value))));
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    [InlineData("fff0000000000000")]
    public void Rfc8785_AppendixB_NaNAndInfinityAreErrors(string ieeeHex)
    {
        double value = BitConverter.Int64BitsToDouble(Convert.ToInt64(ieeeHex, 16));
        Assert.Null(EcmaNumberFormatter.Format(value));
        Assert.False(JsonCanonicalizer.TryCanonicalize(new JsonArray(value), new ArrayBufferWriter<byte>(), out string? error));
        Assert.Equal("number is not finite", error);
    }

    [Fact]
    public void IntegersFromCodeAndFromParsedTextCanonicalizeAlike()
    {
        JsonObject built = new() { ["seq"] = 42L, ["v"] = 1, ["big"] = 1e21, ["d"] = 4.5m };
        Assert.Equal("""{"big":1e+21,"d":4.5,"seq":42,"v":1}""", Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(built)));
        Assert.Equal("""{"big":1e+21,"d":4.5,"seq":42,"v":1}""", Canonical("""{"v":1.0,"seq":4.2e1,"d":4.50,"big":1000000000000000000000}"""));
    }

    [Fact]
    public void EscapesOnlyWhatTheRfcRequires()
    {
        JsonObject obj = new() { ["s"] = "\u0000\u0001\b\t\n\u000b\f\r\u001f \"\\/<>&\u007f\u2028é" };
        Assert.Equal("{\"s\":\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\/<>&\u007f\u2028é\"}",
            Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(obj)));
    }

    [Fact]
    public void LoneSurrogateIsAnError()
    {
        Assert.False(JsonCanonicalizer.TryCanonicalize(JsonNode.Parse("""["\ud800x"]"""), new ArrayBufferWriter<byte>(), out string? error));
        Assert.Equal("string holds a lone surrogate", error);
        Assert.False(JsonCanonicalizer.TryCanonicalize(JsonNode.Parse("{\"\\udc00\":1}"), new ArrayBufferWriter<byte>(), out error));
        Assert.Equal("string holds a lone surrogate", error);
        Assert.False(JsonCanonicalizer.TryCanonicalize(new JsonArray("a\ud800"), new ArrayBufferWriter<byte>(), out error));
    }

    [Fact]
    public void NestedStructuresAreSortedRecursivelyAndArraysKeepOrder()
    {
        Assert.Equal("""{"a":[{"x":1,"y":2},3,"b"],"b":{"a":null,"c":{}}}""",
            Canonical("""{ "b": { "c": {}, "a": null }, "a": [ { "y": 2, "x": 1 }, 3, "b" ] }"""));
    }
}
