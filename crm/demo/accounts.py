"""Demo accounts: a small bureau with one person per role (synthetic names, shared demo password)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.base.access import SYSTEM
from crm.people.users import User, create_user, find_by_username

DEMO_PASSWORD = "chainlead-demo"


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    role: str
    districts: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()


BUREAU = (
    Person("admin", "系统管理员", "admin"),
    Person("zhang.wei", "张伟（合成）", "staff"),
    Person("li.na", "李娜（合成）", "staff"),
    Person("wang.fang", "王芳（合成）", "staff"),
    Person("chen.jie", "陈杰（合成）", "staff"),
    Person("liu.yang", "刘洋（合成·链长）", "chain_leader", chains=("nev", "energy_storage")),
    Person("zhao.min", "赵敏（合成·链长）", "chain_leader", chains=("electronics", "display")),
    Person("sun.hao", "孙浩（合成·两江新区）", "district_officer", districts=("500157",)),
    Person("zhou.lin", "周琳（合成·沙坪坝区）", "district_officer", districts=("500106",)),
    Person("viewer", "领导（只读）", "viewer"),
)


def ensure_people(store: Any, *, now: datetime, chains: set[str], districts: set[str]) -> dict[str, User]:
    """Create the demo accounts that are missing; chains or districts not in the store are left out."""
    people: dict[str, User] = {}
    for p in BUREAU:
        found = find_by_username(store, p.username)
        if found is None:
            found = create_user(store, username=p.username, password=DEMO_PASSWORD, role=p.role, actor=SYSTEM,
                                now=now, display_name=p.display_name,
                                chains=[c for c in p.chains if c in chains] or None,
                                districts=[d for d in p.districts if d in districts] or None,
                                synthetic=p.username != "admin")
        people[p.username] = found
    return people
