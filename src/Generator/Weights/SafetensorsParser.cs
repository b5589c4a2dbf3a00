using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Weights;

/// <summary>
/// Reads a safetensors file's bytes inside the generator (netstandard2.0 has no JSON reader the generator may ship):
/// an 8-byte little-endian header length, a JSON object of tensors (<c>dtype</c>, <c>shape</c>,
/// <c>data_offsets</c>) and <c>__metadata__</c>, then the data. Never throws: a bad file becomes <see cref="WeightsFile.Error"/>.
/// </summary>
internal static class SafetensorsParser
{
    private const long MaxHeaderLength = 100_000_000;

    public static WeightsFile Parse(string path, string network, byte[] bytes)
    {
        WeightsFile Fail(string error) => new(path, network, error, EquatableArray<WeightsTensor>.Empty, EquatableArray<byte>.Empty);

        if (bytes.Length < 8) return Fail($"it is {bytes.Length} bytes, too short for the 8-byte header length of a safetensors file");
        ulong headerLength = 0;
        for (int i = 7; i >= 0; i--) headerLength = (headerLength << 8) | bytes[i];
        if (headerLength < 2 || headerLength > MaxHeaderLength || (long)headerLength > bytes.Length - 8)
            return Fail($"its header length is {headerLength} bytes but {bytes.Length - 8} bytes follow: not a safetensors file, or truncated");

        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(bytes, 8, (int)headerLength);
        }
        catch (ArgumentException)
        {
            return Fail("its header is not valid UTF-8");
        }

        object? root;
        try
        {
            root = new JsonReader(json).ReadDocument();
        }
        catch (FormatException exception)
        {
            return Fail("its header is not valid JSON (" + exception.Message + ")");
        }
        if (root is not List<KeyValuePair<string, object?>> entries) return Fail("its header is not a JSON object");

        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;
        var tensors = new List<WeightsTensor>();
        foreach (KeyValuePair<string, object?> entry in entries)
        {
            if (entry.Key == "__metadata__") continue;
            if (entry.Value is not List<KeyValuePair<string, object?>> fields) return Fail($"tensor '{entry.Key}' is not a JSON object");
            string? dtype = Field(fields, "dtype") as string;
            if (dtype is null) return Fail($"tensor '{entry.Key}' has no string 'dtype'");
            if (Field(fields, "shape") is not List<object?> shapeItems || !TryLongs(shapeItems, out long[] shape))
                return Fail($"tensor '{entry.Key}' has no 'shape' array of non-negative integers");
            if (Field(fields, "data_offsets") is not List<object?> offsetItems || !TryLongs(offsetItems, out long[] offsets) || offsets.Length != 2)
                return Fail($"tensor '{entry.Key}' has no 'data_offsets' [begin, end]");
            if (offsets[0] > offsets[1] || offsets[1] > dataLength)
                return Fail($"tensor '{entry.Key}' has data_offsets [{offsets[0]}, {offsets[1]}] outside the {dataLength}-byte data section");
            tensors.Add(new WeightsTensor(entry.Key, dtype, shape.ToEquatableArray(), offsets[0], offsets[1]));
        }

        var data = new byte[dataLength];
        Array.Copy(bytes, dataStart, data, 0, dataLength);
        return new WeightsFile(path, network, null, tensors.ToEquatableArray(), new EquatableArray<byte>(data));
    }

    private static object? Field(List<KeyValuePair<string, object?>> fields, string name)
    {
        foreach (KeyValuePair<string, object?> field in fields)
        {
            if (field.Key == name) return field.Value;
        }
        return null;
    }

    private static bool TryLongs(List<object?> items, out long[] values)
    {
        values = new long[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is not double number || number < 0 || number > 1e15 || Math.Floor(number) != number) return false;
            values[i] = (long)number;
        }
        return true;
    }

    /// <summary>
    /// A small strict JSON reader: objects become ordered key/value lists (duplicates kept, so callers see them),
    /// arrays lists, numbers doubles. Throws <see cref="FormatException"/> on anything malformed; nests at most 16 deep.
    /// </summary>
    private sealed class JsonReader(string text)
    {
        private int _position;

        public object? ReadDocument()
        {
            object? value = ReadValue(0);
            SkipWhitespace();
            if (_position != text.Length) throw Error("unexpected text after the value");
            return value;
        }

        private object? ReadValue(int depth)
        {
            if (depth > 16) throw Error("nested too deeply");
            SkipWhitespace();
            if (_position >= text.Length) throw Error("unexpected end");
            char c = text[_position];
            switch (c)
            {
                case '{':
                {
                    _position++;
                    var entries = new List<KeyValuePair<string, object?>>();
                    SkipWhitespace();
                    if (Peek() == '}') { _position++; return entries; }
                    while (true)
                    {
                        SkipWhitespace();
                        string key = ReadString();
                        SkipWhitespace();
                        Expect(':');
                        entries.Add(new KeyValuePair<string, object?>(key, ReadValue(depth + 1)));
                        SkipWhitespace();
                        if (Peek() == ',') { _position++; continue; }
                        Expect('}');
                        return entries;
                    }
                }
                case '[':
                {
                    _position++;
                    var items = new List<object?>();
                    SkipWhitespace();
                    if (Peek() == ']') { _position++; return items; }
                    while (true)
                    {
                        items.Add(ReadValue(depth + 1));
                        SkipWhitespace();
                        if (Peek() == ',') { _position++; continue; }
                        Expect(']');
                        return items;
                    }
                }
                case '"':
                    return ReadString();
                case 't': ReadWord("true"); return true;
                case 'f': ReadWord("false"); return false;
                case 'n': ReadWord("null"); return null;
                default:
                    return ReadNumber();
            }
        }

        private string ReadString()
        {
            Expect('"');
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length) throw Error("unterminated string");
                char c = text[_position++];
                if (c == '"') return builder.ToString();
                if (c < ' ') throw Error("control character in a string");
                if (c != '\\') { builder.Append(c); continue; }
                if (_position >= text.Length) throw Error("unterminated escape");
                char escape = text[_position++];
                switch (escape)
                {
                    case '"': case '\\': case '/': builder.Append(escape); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > text.Length
                            || !int.TryParse(text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            throw Error("bad \\u escape");
                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default: throw Error($"bad escape '\\{escape}'");
                }
            }
        }

        private double ReadNumber()
        {
            int start = _position;
            while (_position < text.Length && "+-0123456789.eE".IndexOf(text[_position]) >= 0) _position++;
            if (start == _position
                || !double.TryParse(text.Substring(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw Error("bad value");
            return value;
        }

        private void ReadWord(string word)
        {
            if (string.CompareOrdinal(text, _position, word, 0, word.Length) != 0) throw Error("bad value");
            _position += word.Length;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'");
            _position++;
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\n' or '\r') _position++;
        }

        private FormatException Error(string what) => new(what + " at character " + _position.ToString(CultureInfo.InvariantCulture));
    }
}
