#include "inference/chat/jinja/strftime.hpp"

#include "inference/util/error.hpp"

#include <cstdio>

namespace atelier::jinja {
namespace {

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
const char* const kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                             "Thursday", "Friday", "Saturday"};

bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

// 0 = Sunday (Sakamoto's method).
int weekday(int y, int m, int d) {
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

int dayOfYear(const DateTime& w) {
    int n = w.day;
    for (int m = 1; m < w.month; ++m) n += daysInMonth(w.year, m);
    return n;
}

std::string number(int v, int width, bool pad, char fill = '0') {
    std::string s = std::to_string(v);
    if (pad)
        while (static_cast<int>(s.size()) < width) s.insert(s.begin(), fill);
    return s;
}

} // namespace

void validate(const DateTime& w) {
    if (w.year < 1 || w.year > 9999 || w.month < 1 || w.month > 12 || w.day < 1 ||
        w.day > daysInMonth(w.year, w.month) || w.hour < 0 || w.hour > 23 || w.minute < 0 ||
        w.minute > 59 || w.second < 0 || w.second > 60)
        throw Error(ErrorKind::Invalid, "not a valid date and time: " + std::to_string(w.year) +
                                            "-" + std::to_string(w.month) + "-" +
                                            std::to_string(w.day));
}

std::string formatTime(std::string_view format, const DateTime& w) {
    std::string out;
    const int wd = weekday(w.year, w.month, w.day);
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 >= format.size()) {
            out += format[i];
            continue;
        }
        char c = format[++i];
        bool pad = true;
        if (c == '-' && i + 1 < format.size()) {
            pad = false;
            c = format[++i];
        }
        const int hour12 = w.hour % 12 == 0 ? 12 : w.hour % 12;
        switch (c) {
        case 'Y':
            out += number(w.year, 4, pad);
            break;
        case 'y':
            out += number(w.year % 100, 2, pad);
            break;
        case 'C':
            out += number(w.year / 100, 2, pad);
            break;
        case 'm':
            out += number(w.month, 2, pad);
            break;
        case 'd':
            out += number(w.day, 2, pad);
            break;
        case 'e':
            out += number(w.day, 2, pad, ' ');
            break;
        case 'B':
            out += kMonths[w.month - 1];
            break;
        case 'b':
        case 'h':
            out += std::string(kMonths[w.month - 1]).substr(0, 3);
            break;
        case 'A':
            out += kDays[wd];
            break;
        case 'a':
            out += std::string(kDays[wd]).substr(0, 3);
            break;
        case 'H':
            out += number(w.hour, 2, pad);
            break;
        case 'I':
            out += number(hour12, 2, pad);
            break;
        case 'M':
            out += number(w.minute, 2, pad);
            break;
        case 'S':
            out += number(w.second, 2, pad);
            break;
        case 'p':
            out += w.hour < 12 ? "AM" : "PM";
            break;
        case 'j':
            out += number(dayOfYear(w), 3, pad);
            break;
        case 'w':
            out += std::to_string(wd);
            break;
        case 'u':
            out += std::to_string(wd == 0 ? 7 : wd);
            break;
        case 'D':
            out += formatTime("%m/%d/%y", w);
            break;
        case 'F':
            out += formatTime("%Y-%m-%d", w);
            break;
        case 'T':
            out += formatTime("%H:%M:%S", w);
            break;
        case 'R':
            out += formatTime("%H:%M", w);
            break;
        case 'c':
            out += formatTime("%a %b %e %H:%M:%S %Y", w);
            break;
        case 'x':
            out += formatTime("%m/%d/%y", w);
            break;
        case 'X':
            out += formatTime("%H:%M:%S", w);
            break;
        case 'Z':
            break;
        case 'z':
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case '%':
            out += '%';
            break;
        default:
            out += '%';
            if (!pad) out += '-';
            out += c;
        }
    }
    return out;
}

} // namespace atelier::jinja
